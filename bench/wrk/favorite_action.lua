-- Likes and unlikes as durable writes, every one of which must change a row: the action
-- users (BENCH_ACTION_TOKENS, users who like nothing in the seeded data) like distinct
-- (user, video) pairs, and a pair is unliked only after its like was answered "ok" (the
-- request id header names the pair) and LAG more likes have been confirmed. wrk may drop a
-- request it made (it makes a new one when a write has to wait), so an unlike never
-- assumes its like was sent. Once LAG likes are confirmed, likes and unlikes alternate.
-- Pairs are numbered from BENCH_PAIR_OFFSET (bench/run passes the favorites sequence,
-- which grows with every like ever made, so a rerun on the same data uses new pairs) and
-- split between threads (BENCH_THREADS). A like answered "already liked" or an unlike
-- answered "not liked" changed nothing and counts as an error.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")
bench.ok_prefix = '{"status_code":0,"status_msg":"ok"}'

local LAG = 500
local tokens, videos, threads, offset
local next_pair = 0
-- Confirmed likes waiting to be unliked: a queue in an array.
local liked, head, tail = {}, 1, 0

function bench.init()
  tokens = bench.read_lines(os.getenv("BENCH_ACTION_TOKENS"))
  videos = bench.env_number("BENCH_VIDEOS")
  threads = bench.env_number("BENCH_THREADS")
  offset = bench.env_number("BENCH_PAIR_OFFSET", 0)
end

-- Pair k of this thread (k from 0): its user index and video differ for every k below
-- #tokens * videos / threads.
local function action(k, action_type, tag)
  local g = offset + k * threads + thread_id
  local token = tokens[g % #tokens + 1]
  local video = math.floor(g / #tokens) % videos + 1
  return wrk.format("POST", string.format(
      "/douyin/favorite/action/?token=%s&video_id=%d&action_type=%d", token, video, action_type),
      {["X-Request-Id"] = tag .. string.format("%d", k)})
end

function bench.next_request()
  if tail - head + 1 > LAG then
    local k = liked[head]
    liked[head] = nil
    head = head + 1
    return action(k, 2, "u")
  end
  local k = next_pair
  next_pair = next_pair + 1
  return action(k, 1, "l")
end

function bench.on_response(headers, ok)
  local id = headers["x-request-id"] or headers["X-Request-Id"]
  if ok and id and string.sub(id, 1, 1) == "l" then
    tail = tail + 1
    liked[tail] = tonumber(string.sub(id, 2))
  end
end
