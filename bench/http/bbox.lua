-- wrk script: GET /api/v1/events?bbox=...&limit=100 over 512 boxes inside
-- Mali (0.5 to 3 degrees wide), fixed seed, so requests are not all the same.
math.randomseed(42)
local paths = {}
for i = 1, 512 do
  local w = 0.5 + math.random() * 2.5
  local h = 0.5 + math.random() * 2.5
  local west = -12 + math.random() * (4 - w + 12)
  local south = 11 + math.random() * (24 - h - 11)
  paths[i] = string.format("/api/v1/events?bbox=%.3f,%.3f,%.3f,%.3f&limit=100", west, south, west + w, south + h)
end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
dofile("bench/http/report.lua")  -- run from the repository root
