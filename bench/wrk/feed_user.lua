-- The feed signed in, as many distinct users (BENCH_TOKENS: a file, one token a line):
-- each video carries is_favorite and its author's is_follow for the viewer.
-- Also the nginx reference's script: the same requests against the same bytes.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local next_req
function bench.init()
  local tokens = bench.read_lines(os.getenv("BENCH_TOKENS"))
  next_req = bench.pool(#tokens, function(i)
    return wrk.format("GET", "/douyin/feed/?token=" .. bench.token_at(tokens, i))
  end)
end
function bench.next_request(n) return next_req(n) end
