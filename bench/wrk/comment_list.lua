-- The first page of a video's comments, for random videos 1..BENCH_VIDEOS, signed in.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local next_req
function bench.init()
  local tokens = bench.read_lines(os.getenv("BENCH_TOKENS"))
  local videos = bench.env_number("BENCH_VIDEOS")
  next_req = bench.pool(2000, function(i)
    return wrk.format("GET", "/douyin/comment/list/?video_id=" .. math.random(videos) ..
                      "&token=" .. bench.token_at(tokens, i))
  end)
end
function bench.next_request(n) return next_req(n) end
