-- An author's videos (/douyin/publish/list/, 30 a page), for authors named in
-- BENCH_AUTHORS (ids separated by commas: users known to have videos), signed in.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local next_req
function bench.init()
  local tokens = bench.read_lines(os.getenv("BENCH_TOKENS"))
  local authors = bench.split_numbers(os.getenv("BENCH_AUTHORS"))
  assert(#authors > 0, "BENCH_AUTHORS is empty")
  next_req = bench.pool(2000, function(i)
    return wrk.format("GET", "/douyin/publish/list/?user_id=" ..
                      authors[math.random(#authors)] .. "&token=" .. bench.token_at(tokens, i))
  end)
end
function bench.next_request(n) return next_req(n) end
