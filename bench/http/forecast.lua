-- wrk script: GET /api/v1/forecast at the three levels from the latest snapshot.
local paths = {"/api/v1/forecast?level=admin1&horizon=30", "/api/v1/forecast?level=admin2&horizon=30",
               "/api/v1/forecast?level=cell&horizon=30"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
dofile("bench/http/report.lua")  -- run from the repository root
