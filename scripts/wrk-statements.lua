-- wrk: statement pages requested uniformly at random over every id in a file.
-- Usage: wrk -s scripts/wrk-statements.lua URL -- IDS_FILE [PREFIX]
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  ids = {}
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  prefix = args[2] or "/statements/"
  math.randomseed(os.time() * 1000 + (seed or 0))
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  return wrk.format("GET", prefix .. ids[math.random(#ids)])
end
