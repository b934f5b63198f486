-- The soak test's API reads (tests/soak/soak.sh): wrk with one connection per thread
-- (-t N -c N, so that a response belongs to the last request of its thread), each waiting
-- DELAY ms between requests, rotating through the PATHs from a different starting point.
--   wrk -tN -cN -d… -H "Cookie: …" -s tests/soak/reads.lua URL -- DELAY PATH…
-- done() prints "soak-reads responses N", "soak-reads status CODE N" per status and
-- "soak-reads error STATUS PATH N" per path that answered anything but 2xx.
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  pause = tonumber(args[1])
  paths = {}
  for i = 2, #args do paths[#paths + 1] = args[i] end
  next_path = (id or 0) % #paths
  statuses = {}
  errors = {}
end

function delay()
  return pause
end

function request()
  next_path = next_path % #paths + 1
  current = paths[next_path]
  return wrk.format("GET", current)
end

function response(status, headers, body)
  local code = tostring(status)
  statuses[code] = (statuses[code] or 0) + 1
  if status < 200 or status > 299 then
    local key = code .. " " .. current
    errors[key] = (errors[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local answered, by_status, by_error = 0, {}, {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      by_status[code] = (by_status[code] or 0) + n
      answered = answered + n
    end
    for key, n in pairs(thread:get("errors")) do by_error[key] = (by_error[key] or 0) + n end
  end
  io.write(string.format("soak-reads responses %d\n", answered))
  for code, n in pairs(by_status) do io.write(string.format("soak-reads status %s %d\n", code, n)) end
  for key, n in pairs(by_error) do io.write(string.format("soak-reads error %s %d\n", key, n)) end
end
