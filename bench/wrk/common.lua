-- Shared by the reel wrk scenarios (wrk 4.1, LuaJIT). Each scenario script sets
-- `next_request` (a function returning the next wrk.format(...) request) and loads this
-- file with dofile; the runner passes parameters in BENCH_* environment variables.
--
-- Errors counted here, on top of wrk's own (connect/read/write/timeout, non-2xx/3xx):
-- a 200 whose Douyin body does not start {"status_code":0 — the API's way to refuse.
-- `done` prints one machine-readable line, BENCH_RESULT {...}, for bench/run.

local M = {}

function M.env_number(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    if default == nil then error("missing environment variable " .. name) end
    return default
  end
  return tonumber(v)
end

function M.read_lines(path)
  local lines = {}
  local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in f:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  f:close()
  assert(#lines > 0, path .. " is empty")
  return lines
end

-- A pool of `n` requests made by `make(i)`, cycled through by `pick(counter)`: formatting
-- once in init keeps the load generator's CPU (shared with the server) for sending.
function M.pool(n, make)
  local requests = {}
  for i = 1, n do requests[i] = make(i) end
  return function(counter) return requests[(counter - 1) % n + 1] end
end

-- The token for a thread's `i`th request: threads start far apart in the list, so the
-- requests in flight at any moment come from different users.
function M.token_at(tokens, i)
  return tokens[(thread_id * 7919 + i) % #tokens + 1]
end

function M.split_numbers(text)
  local out = {}
  for n in string.gmatch(text or "", "%d+") do out[#out + 1] = tonumber(n) end
  return out
end

-- Per-thread state, set up in each thread's own Lua state by wrk's setup().
local threads = {}
local thread_count = 0
function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

thread_id = 0        -- set by setup() above, before init() runs
app_errors = 0       -- 200s that carried a non-zero status_code
first_failure = ""   -- the first such body, to show what went wrong
local counter = 0

function init(args)
  math.randomseed(1000 + thread_id)
  if M.init then M.init(args) end
end

function request()
  counter = counter + 1
  return M.next_request(counter)
end

-- What a successful body starts with. The Douyin envelope is written status_code first, so
-- a prefix test is enough (and cheap: no scan of a 30-video body). Scenarios whose every
-- request must change something require '..."status_msg":"ok"' (unchanged says otherwise).
M.ok_prefix = '{"status_code":0,'

function response(status, headers, body)
  -- Only 200s are inspected; wrk itself counts other statuses as errors.
  if status == 200 then
    local ok = string.sub(body, 1, #M.ok_prefix) == M.ok_prefix
    if not ok then
      app_errors = app_errors + 1
      if first_failure == "" then first_failure = string.sub(body, 1, 200) end
    end
    if M.on_response then M.on_response(headers, ok) end
  end
end

function done(summary, latency, requests)
  local app = 0
  local failure = ""
  for _, t in ipairs(threads) do
    app = app + (t:get("app_errors") or 0)
    local f = t:get("first_failure")
    if failure == "" and f and f ~= "" then failure = f end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,' ..
    '"p99_ms":%.3f,"max_ms":%.3f,"errors_socket":%d,"errors_http":%d,"errors_app":%d,' ..
    '"bytes":%d,"first_failure":"%s"}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout, e.status, app,
    summary.bytes, (string.gsub(failure, '[%c"\\]', "?"))))
end

return M
