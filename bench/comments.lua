-- wrk script for bench/comments.py: every request is a POST from a new reader (a new
-- X-Forwarded-For; the server trusts one proxy), so no per-reader limit is reached and
-- every vote is a first vote.
--
-- Arguments (after `--`): run_hi run_lo duration tail kind csrf body
--   run_hi, run_lo  two random 16-bit numbers that make this run's addresses new
--   duration, tail  seconds; for the last `tail` seconds each thread repeats its first
--                   reader, whom the server refuses (a second vote: 409; a second comment
--                   on the article within the minute: 429). So no accepted request is in
--                   flight when wrk stops, and `ok` is exactly what the server stored.
--   kind            "comment" (body is sent as given) or "rate" (stars 1-5 in turn, JSON)
--   csrf            the CSRF secret, sent as the cookie and as the form field
--   body            the rest of the form, url-encoded (for "comment")
--
-- A success is a 302 (a comment: post/redirect/get) or a 200 (a vote, JSON).
-- done() prints "BENCH_JSON {...}".

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
  kind = args[5]
  csrf = args[6]
  rest = args[7] or ""
  sent = 0
  repeats = 0
  ok = 0
  refused = 0
  stars_sent = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. csrf
  if kind == "rate" then
    wrk.headers["Accept"] = "application/json"
  end
end

local function address(n)
  return string.format("2001:db8:%x:%x:%x::%x:%x",
    run_hi, run_lo, id, math.floor(n / 65536), n % 65536)
end

function request()
  if sent == 0 or os.time() < switch_at then
    sent = sent + 1
    wrk.headers["X-Forwarded-For"] = address(sent)
  else
    repeats = repeats + 1
    wrk.headers["X-Forwarded-For"] = address(1)
  end
  local body
  if kind == "rate" then
    body = "csrfmiddlewaretoken=" .. csrf .. "&stars=" .. ((sent % 5) + 1)
  else
    body = "csrfmiddlewaretoken=" .. csrf .. "&" .. rest
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 302 or status == 200 then
    ok = ok + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local s, p, o, r = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("sent")
    p = p + thread:get("repeats")
    o = o + thread:get("ok")
    r = r + thread:get("refused")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"sent": %d, "repeats": %d, "ok": %d, "refused": %d, ' ..
    '"latency_us": {"mean": %d, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    s, p, o, r,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
