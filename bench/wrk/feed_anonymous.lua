-- The feed as an anonymous visitor sees it: the newest 30 videos.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local req
function bench.init() req = wrk.format("GET", "/douyin/feed/") end
function bench.next_request() return req end
