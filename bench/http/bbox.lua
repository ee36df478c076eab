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
done = function(summary, latency, requests)
  io.write(string.format("JSON {\"requests\":%d,\"errors\":%d,\"non2xx\":%d,\"seconds\":%.3f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
