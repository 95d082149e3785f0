-- wrk: list pages: the statement list (random page of the first 50, random year) and
-- forum and speaker pages.
-- Usage: wrk -s scripts/wrk-lists.lua URL -- PATHS_FILE
function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  math.randomseed(os.time())
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
