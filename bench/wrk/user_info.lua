-- A user's profile (/douyin/user/) for random users 1..BENCH_USERS, asked by signed-in
-- viewers (BENCH_TOKENS), so is_follow is computed.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local next_req
function bench.init()
  local tokens = bench.read_lines(os.getenv("BENCH_TOKENS"))
  local users = bench.env_number("BENCH_USERS")
  next_req = bench.pool(2000, function(i)
    return wrk.format("GET", "/douyin/user/?user_id=" .. math.random(users) .. "&token=" ..
                      bench.token_at(tokens, i))
  end)
end
function bench.next_request(n) return next_req(n) end
