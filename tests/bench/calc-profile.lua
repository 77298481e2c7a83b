-- calc-profile.lua — where calc.evaluate spends its Lua instructions, on
-- the bench site's briefs (a developer's tool; not part of `make test`).
--
--   lua5.4 tests/bench/gen-site.lua /tmp/b 300
--   lua5.4 tests/bench/calc-profile.lua /tmp/b/bg-calc/content/briefs [N] [prof|time] [ROUNDS]
--
-- Reads each brief's calc block (zh.md) and inline `= name | spec` values
-- (both languages) the simple way the generator writes them, evaluates the
-- N first briefs' models as briefgen does (lua/calc.lua), and prints either
-- the time per evaluation (time) or the share of sampled VM instructions per
-- function and per line (prof: a count hook every 97 instructions, so C
-- functions count only through the Lua line that called them).
package.path = "lua/?.lua;" .. package.path
sandboxed = function(f, ...) return pcall(f, ...) end -- luaenv.c's, without the limits
local string_index = getmetatable("").__index
local calc = require("calc")
getmetatable("").__index = string_index -- calc.lua narrows it for formulas

local dir, limit, mode, rounds = arg[1], tonumber(arg[2] or "200"), arg[3] or "prof", tonumber(arg[4] or "1")
assert(dir, "usage: lua5.4 tests/bench/calc-profile.lua BRIEFS_DIR [N] [prof|time] [ROUNDS]")

local function read(p)
  local f = assert(io.open(p))
  local s = f:read("a")
  f:close()
  return s
end

local function parse(path, lang, defs, refs)
  local s = read(path)
  local block = s:match("```calc\n(.-)```")
  if block and lang == "zh" then
    local ln = 0
    for line in block:gmatch("[^\n]+") do
      ln = ln + 1
      local name, formula, label = line:match("^(%S+)%s*=%s*(.-)%s*%-%-%s*(.*)$")
      if name then
        defs[#defs + 1] = { name = name, formula = formula, label = label, file = path, line = ln, col = 1, fcol = 17 }
      end
    end
  end
  for expr in s:gmatch("`=%s*([^`]*)`") do
    local e, spec = expr:match("^(.-)%s*|%s*(.*)$")
    refs[#refs + 1] = { expr = e or expr, spec = spec or "", file = path, line = 1, col = 1, lang = lang }
  end
end

local inputs = {}
local names = {}
for d in io.popen("ls " .. dir):lines() do names[#names + 1] = d end
for i = 1, math.min(#names, limit) do
  local defs, refs = {}, {}
  parse(dir .. "/" .. names[i] .. "/zh.md", "zh", defs, refs)
  parse(dir .. "/" .. names[i] .. "/en.md", "en", defs, refs)
  inputs[#inputs + 1] = { defs, refs }
end

local lines, funcs = {}, {}
if mode == "prof" then
  debug.sethook(function()
    local info = debug.getinfo(2, "Sln")
    if info then
      local k = info.short_src .. ":" .. (info.currentline or 0)
      lines[k] = (lines[k] or 0) + 1
      local f = info.short_src .. ":" .. (info.linedefined or 0) .. " " .. tostring(info.name)
      funcs[f] = (funcs[f] or 0) + 1
    end
  end, "", 97)
end
local t0 = os.clock()
for _ = 1, rounds do
  for _, inp in ipairs(inputs) do calc.evaluate(inp[1], inp[2], { "zh", "en" }, {}, {}) end
end
debug.sethook()
print(string.format("%d models, %.3f ms per evaluation%s", #inputs, (os.clock() - t0) * 1000 / (#inputs * rounds),
  mode == "prof" and " (with the sampling hook)" or ""))

local function top(t, n)
  local keys, total = {}, 0
  for k, v in pairs(t) do keys[#keys + 1] = k; total = total + v end
  table.sort(keys, function(a, b) return t[a] > t[b] end)
  for i = 1, math.min(n, #keys) do print(string.format("%5.1f%% %s", 100 * t[keys[i]] / total, keys[i])) end
end
if mode == "prof" then
  print("== functions (instructions in their own body)")
  top(funcs, 30)
  print("== lines")
  top(lines, 25)
end
