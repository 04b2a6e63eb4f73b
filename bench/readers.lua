-- wrk script: every request comes from a new reader, so the article page counts a view
-- for each one (the server trusts one proxy: PROXY_COUNT=1 reads X-Forwarded-For).
--
-- Arguments (after `--`): run_hi run_lo duration tail
--   run_hi, run_lo  two random 16-bit numbers that make this run's addresses new
--   duration, tail  seconds; for the last `tail` seconds each thread repeats its first
--                   address instead, so the requests still in flight when wrk stops are
--                   repeats (deduplicated, never counted). Every distinct reader's request
--                   has then been answered, and `distinct` is exactly the number of views
--                   the server must count (when there are no errors).
--
-- done() prints one line "BENCH_JSON {...}" that bench/run.py reads.

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  run_hi = tonumber(args[1])
  run_lo = tonumber(args[2])
  switch_at = os.time() + tonumber(args[3]) - tonumber(args[4])
  distinct = 0
  repeats = 0
  non2xx = 0
end

local function address(n)
  return string.format("2001:db8:%x:%x:%x::%x:%x",
    run_hi, run_lo, id, math.floor(n / 65536), n % 65536)
end

function request()
  if distinct == 0 or os.time() < switch_at then
    distinct = distinct + 1
    wrk.headers["X-Forwarded-For"] = address(distinct)
  else
    repeats = repeats + 1
    wrk.headers["X-Forwarded-For"] = address(1)
  end
  return wrk.format()
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local d, r, n = 0, 0, 0
  for _, thread in ipairs(threads) do
    d = d + thread:get("distinct")
    r = r + thread:get("repeats")
    n = n + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"non2xx": %d, "distinct": %d, "repeats": %d, ' ..
    '"latency_us": {"mean": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    n, d, r,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
