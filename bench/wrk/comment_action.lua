-- Posting comments (/douyin/comment/action/, action_type=1) on random videos
-- 1..BENCH_VIDEOS as signed-in users (BENCH_TOKENS): every request adds a row.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local tokens, videos
function bench.init()
  tokens = bench.read_lines(os.getenv("BENCH_TOKENS"))
  videos = bench.env_number("BENCH_VIDEOS")
end

function bench.next_request(n)
  return wrk.format("POST", "/douyin/comment/action/?token=" .. bench.token_at(tokens, n) ..
                    "&video_id=" .. math.random(videos) .. "&action_type=1&comment_text=" ..
                    "benchmark+comment+" .. thread_id .. "+" .. n)
end
