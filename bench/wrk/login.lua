-- Signing in (/douyin/user/login/) as the users in BENCH_USERNAMES (one a line), all with
-- BENCH_PASSWORD. Argon2id makes each one deliberately slow: reported apart from the rest.
local bench = dofile((os.getenv("BENCH_WRK_DIR") or "bench/wrk") .. "/common.lua")

local next_req
function bench.init()
  local names = bench.read_lines(os.getenv("BENCH_USERNAMES"))
  local password = os.getenv("BENCH_PASSWORD") or "bench-password"
  next_req = bench.pool(#names, function(i)
    return wrk.format("POST", "/douyin/user/login/?username=" ..
                      names[(thread_id * 7919 + i) % #names + 1] .. "&password=" .. password)
  end)
end
function bench.next_request(n) return next_req(n) end
