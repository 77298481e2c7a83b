-- calc — evaluates a brief's model: every `calc` block of every language
-- file forms one namespace, evaluated once in dependency order (like a
-- spreadsheet), in a sandbox that holds only numbers, units and a few safe
-- functions. Inline references (`= expr | spec`) are then formatted per
-- language with their provenance.
--
-- The host (generator/calceval.c) loads this once per worker thread, in a
-- Lua state of calc's own with a memory cap and an instruction budget, and
-- calls evaluate for brief after brief: a runaway formula stops with an
-- error at its line instead of hanging the build. Nothing of one brief may
-- reach the next: evaluate builds every table a formula can reach afresh,
-- and keeps nothing once it returns (docs/architecture.md, Calc).

local units = require("units")
-- the host's pcall that runs the author's code under the budget (luaenv.c);
-- plain pcall where there is none (the Lua tests)
local sandboxed = sandboxed or pcall
local numfmt = require("numfmt")
local chart = require("chart")

-- String functions are called as functions, never as methods: in the calc
-- sandbox the string metatable offers formulas only a safe subset (calc.lua).
local smatch, sgmatch, sfind = string.match, string.gmatch, string.find

local M = {}

-- string.rep("", n) loops n times inside C, where the instruction budget
-- never looks, so `string.rep("", math.maxinteger)` would hang the build.
-- The answer is "" whatever n is: give it without the loop. This Lua state
-- is calc's own (templates have theirs), and the string metatable's
-- __index is this very table, so `(""):rep(n)` in a formula comes here too.
-- Other errors are raised again at the caller's level, so they point at the
-- formula, as string.rep's own do.
do
  local rep, tointeger, pcall, error = string.rep, math.tointeger, pcall, error
  string.rep = function(s, n, sep)
    if s == "" and (sep == nil or sep == "") and tointeger(n) then return "" end
    local ok, r = pcall(rep, s, n, sep)
    if not ok then error(r, 2) end
    return r
  end
end

local keywords = {}
for k in sgmatch(("and break do else elseif end false for function goto if in local nil not or repeat return then true until while"), "%a+") do
  keywords[k] = true
end

-- Numbers in a formula are floats, as in a spreadsheet: Lua 5.4's integers
-- wrap around silently (6 * 70000000000 * 15000000000000 is -5.8e18), and a
-- published number must never be one that wrapped. So scan rewrites every
-- integer numeral as a float (`400000` -> `400000.0`, `0xff` -> `0xffp0`),
-- the builtins hand out floats (builtins below), strings take no part in
-- arithmetic (no `"2" * 3`), and the operators that make integers of
-- anything, `#` (length) and the bitwise `& | ~ << >>`, are errors at their
-- column. What is left (+ - * / // % ^ of floats) cannot wrap: it
-- overflows to infinity, which evaluate reports.
local sbyte, ssub = string.byte, string.sub
local INTEGER_OPS = {
  [35] = "the length operator '#'", [38] = "the bitwise operator '&'", [124] = "the bitwise operator '|'",
  [126] = "the bitwise operator '~'",
}

-- Where the numeral starting at i ends (exclusive), as Lua's lexer reads it
-- (read_numeral), and whether it is an integer numeral Lua would read as an
-- integer that needs rewriting: digits only, or 0x and hex digits only.
local function numeral(src, i)
  -- Most numerals are digits alone, followed by neither a letter, a digit,
  -- '.' nor '_': the loop below would read them as that, an integer.
  local j = smatch(src, "^%d+()", i)          -- nil for ".5"
  local c = j and sbyte(src, j)
  if j and not (c and (c == 46 or c == 95 or (c >= 48 and c <= 57) or (c >= 65 and c <= 90)
      or (c >= 97 and c <= 122))) then
    return j, ssub(src, i, j - 1) .. ".0"
  end
  local hex = false
  j = i
  if smatch(src, "^0[xX]", i) then j, hex = i + 2, true end
  local e1, e2 = hex and 80 or 69, hex and 112 or 101 -- P p / E e
  while true do
    local c = sbyte(src, j)
    if c == e1 or c == e2 then
      j = j + 1
      local s = sbyte(src, j)
      if s == 43 or s == 45 then j = j + 1 end
    elseif c and ((c >= 48 and c <= 57) or (c >= 97 and c <= 102) or (c >= 65 and c <= 70) or c == 46) then
      j = j + 1
    else
      break
    end
  end
  local text = ssub(src, i, j - 1)
  local after = sbyte(src, j)
  if after and ((after >= 97 and after <= 122) or (after >= 65 and after <= 90) or after == 95) then
    return j, nil -- touching a letter: malformed, and Lua will say so
  end
  if hex then return j, smatch(text, "^0[xX]%x+$") and text .. "p0" end
  return j, smatch(text, "^%d+$") and text .. ".0"
end

-- scan(src) -> ids, code, bad: the identifiers a formula reads as variables
-- (not fields after `.`/`:`, not inside strings or comments) as a list of
-- {name, offset}; the formula as Lua should compile it (integer numerals
-- made floats); and the integer-only operators it uses, {what, offset}.
-- It runs for every formula of every brief, so it looks at bytes (classes
-- as Lua's patterns see them in the C locale), not at one-character strings.
local function scan(src)
  local out, bad, pieces, from = {}, nil, nil, 1
  local i, n = 1, #src
  local field = false -- the last token was `.` or `:`, so a name is a field
  while i <= n do
    local b = sbyte(src, i)
    if b == 32 or (b >= 9 and b <= 13) then -- space
      i = i + 1
    elseif (b >= 97 and b <= 122) or (b >= 65 and b <= 90) or b == 95 then -- a name
      local name = smatch(src, "^[%a_][%w_]*", i)
      if not field and not keywords[name] then
        out[#out + 1] = { name = name, offset = i }
      end
      i, field = i + #name, false
    elseif b == 45 and sbyte(src, i + 1) == 45 then -- "--": a comment
      break
    elseif b == 34 or b == 39 then -- a quoted string
      local j = i + 1
      while j <= n do
        local c = sbyte(src, j)
        if c == b then break end
        j = j + (c == 92 and 2 or 1) -- a backslash escapes the next byte
      end
      i, field = j + 1, false
    elseif b == 91 and smatch(src, "^%[=*%[", i) then -- a long string
      local eq = smatch(src, "^%[(=*)%[", i)
      local close = sfind(src, "]" .. eq .. "]", i, true)
      i, field = (close or n) + #eq + 2, false
    elseif (b >= 48 and b <= 57) or (b == 46 and smatch(src, "^%.%d", i)) then -- a number
      local j, float = numeral(src, i)
      if float then
        pieces = pieces or {}
        pieces[#pieces + 1] = ssub(src, from, i - 1)
        pieces[#pieces + 1] = float
        from = j
      end
      i, field = j, false
    elseif b == 46 and sbyte(src, i + 1) == 46 then -- ".." or "...": not a field
      i, field = i + (sbyte(src, i + 2) == 46 and 3 or 2), false
    elseif INTEGER_OPS[b] or ((b == 60 or b == 62) and sbyte(src, i + 1) == b) then
      if b == 126 and sbyte(src, i + 1) == 61 then -- "~=" is not equal
        i = i + 2
      else
        bad = bad or {}
        bad[#bad + 1] = { what = INTEGER_OPS[b] or ("the bitwise operator '" .. ssub(src, i, i + 1) .. "'"), offset = i }
        i = i + (INTEGER_OPS[b] and 1 or 2)
      end
      field = false
    else
      field = b == 46 or b == 58 -- "." or ":"
      i = i + 1
    end
  end
  if pieces then
    pieces[#pieces + 1] = ssub(src, from)
    src = table.concat(pieces)
  end
  return out, src, bad
end
M.scan = scan

-- Identifiers a formula reads as variables, a list of {name, offset}.
function M.identifiers(src) return (scan(src)) end

local function distance(a, b)
  local la, lb = #a, #b
  local row = {}
  for j = 0, lb do row[j] = j end
  for i = 1, la do
    local prev, cur = row[0], nil
    row[0] = i
    for j = 1, lb do
      cur = row[j]
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      row[j] = math.min(row[j] + 1, row[j - 1] + 1, prev + cost)
      prev = cur
    end
  end
  return row[lb]
end

-- "did you mean 'x'?" for an unknown name, from the defined ones.
function M.suggest(name, names)
  local best, bd = nil, math.huge
  for _, cand in ipairs(names) do
    local d = distance(name, cand)
    if d < bd or (d == bd and cand < best) then best, bd = cand, d end
  end
  if best and bd <= math.max(1, #name // 3) and bd < #name then return best end
end

local function readonly(t, what)
  return setmetatable({}, {
    __index = t,
    __newindex = function(_, k) error("cannot change " .. what .. "." .. tostring(k), 2) end,
    __metatable = false,
  })
end

-- What formulas get of math: integers made floats (math.floor(5e18) is an
-- integer, and doubling it would wrap), so no integer reaches a formula.
local function float(x)
  if math.type(x) == "integer" then return x + 0.0 end
  return x
end
local FMATH = {}
for k, v in pairs(math) do FMATH[k] = float(v) end
for _, k in ipairs({ "floor", "ceil", "abs", "fmod", "max", "min", "tointeger" }) do
  local f = math[k]
  FMATH[k] = function(...) return float(f(...)) end
end

-- tonumber for formulas: a numeral in a string is read as a float (Lua
-- reads "9223372036854775807" as an integer, and hex text wraps around);
-- no base (digits in a base are read into an integer that wraps).
local function float_tonumber(x, base)
  if base ~= nil then error("tonumber takes no base in a formula", 2) end
  if type(x) ~= "string" then return float(tonumber(x)) end
  local sign, body = smatch(x, "^%s*([-+]?)(.-)%s*$")
  if smatch(body, "^%d+$") then body = body .. ".0"
  elseif smatch(body, "^0[xX]%x+$") then body = body .. "p0" end
  return tonumber(sign .. body)
end

local slen = string.len
local function float_len(s) return slen(s) + 0.0 end

-- Formulas reach string methods through the string metatable, and Lua's
-- pattern matcher runs in C where the instruction budget never looks:
-- `("a"):rep(3000):find(".-.-.-.-x")` would hang the build. So in this state
-- (calc's own) strings offer only methods that run in bounded time and give
-- no integer; the host modules call other string functions as locals
-- captured at load. Strings take no part in arithmetic either (Lua's string
-- library would turn "9223372036854775807" * 2 into a wrapped integer).
do
  local mt = getmetatable("")
  mt.__index = {
    rep = string.rep, format = string.format, len = float_len, sub = string.sub,
    upper = string.upper, lower = string.lower,
  }
  for _, k in ipairs({ "__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__idiv" }) do
    mt[k] = nil
  end
end

-- The builtins every formula sees: units, math, a few string helpers.
local function builtins()
  -- Unit constants are made when first read: a brief reads a few of ~40.
  local b = setmetatable({}, { __index = function(t, k)
    local c = units.constant(k)
    if c ~= nil then rawset(t, k, c) end
    return c
  end })
  b.math = readonly(FMATH, "math")
  b.min, b.max, b.floor, b.ceil = FMATH.min, FMATH.max, FMATH.floor, FMATH.ceil
  b.abs, b.sqrt, b.log, b.exp = FMATH.abs, math.sqrt, math.log, math.exp
  b.string = readonly({ rep = string.rep, format = string.format, len = float_len,
    sub = string.sub, upper = string.upper, lower = string.lower }, "string")
  b.tostring, b.tonumber, b.type = tostring, float_tonumber, type
  return b
end

local function where(d) return { file = d.file, line = d.line, col = d.col } end

local function err(errors, at, msg)
  errors[#errors + 1] = { file = at.file, line = at.line, col = at.col or 0, msg = msg }
end

-- The first use of `#` or a bitwise operator in a formula, at its column.
local function integer_ops(errors, ops, file, line, col)
  err(errors, { file = file, line = line, col = col + ops[1].offset - 1 },
    ops[1].what .. " is not allowed: calc numbers are not integers")
end

local function place(d) return string.format("%s:%d:%d", d.file, d.line, d.col) end

-- Formulas are compiled under a chunk name of our own, never under their
-- file's: a file name can hold anything (`a:7: b/zh.md` once garbled every
-- position taken from a message), and a long one is cut short in messages.
-- Where a formula stands is known without reading messages: it is the
-- definition or span being evaluated. Messages lose the '[string "formula"]:1: ' Lua puts
-- before them.
-- Not "=name" (luaenv takes '=' chunks for host glue, which a limit's
-- message looks past) nor "@file": a plain name, the author's code.
local CHUNK = "formula"
local PREFIX = '[string "formula"]:'

local function message(e)
  e = tostring(e)
  if ssub(e, 1, #PREFIX) == PREFIX then
    local rest = smatch(e, "^%d+: ", #PREFIX + 1)
    if rest then return ssub(e, #PREFIX + 1 + #rest) end
  end
  return e
end

-- Compiles `return <expr>` alone: a formula is one line.
local function compile(expr, env)
  return load("return " .. expr, CHUNK, "t", env)
end

-- A runaway formula (budget, time or memory) ends the whole evaluation: nothing
-- after it could be trusted to finish in time (once the budget is spent,
-- every further step fails), and one error says it. The host places it at
-- the definition or span in progress[1] (calceval.c).
local function fatal(msg)
  if msg == "not enough memory" then error("memory limit of the calc sandbox exceeded", 0) end
  if ssub(msg, 1, 19) == "instruction budget " then error(msg, 0) end
  if ssub(msg, 1, 11) == "time limit " then error(msg, 0) end
end

-- A part of a label that says where an input comes from, not what it is:
-- `source: URL [at WHERE] ["QUOTE"]` (also `來源：`), or `assumption`
-- (`假設`). Returns nil when the part is a plain label, else a table
-- { source = { url, at, quote } } or { assumption = true }, or false and
-- the reason when it is a source part that cannot be read.
local function provenance(part)
  if part == "assumption" or part == "假設" then return { assumption = true } end
  -- most parts are plain labels: the patterns only for one that can match
  local rest
  if sbyte(part, 1) == 115 then -- 's'
    rest = smatch(part, "^source:%s*(.*)$")
  elseif ssub(part, 1, 6) == "來源" then
    rest = smatch(part, "^來源：%s*(.*)$") or smatch(part, "^來源:%s*(.*)$")
  end
  if not rest then return nil end
  local url, after = smatch(rest, "^(%S+)%s*(.-)$")
  if not url or not (smatch(url, "^https?://[%w%-%.]+") or smatch(url, "^/")) then
    return false, "a source needs a URL first: 'source: https://… [at 41:20] [\"quote\"]'"
  end
  local at, quote = after, nil
  local q1, q2 = smatch(after, '^(.-)%s*"(.*)"$')
  if not q1 then q1, q2 = smatch(after, "^(.-)%s*「(.*)」$") end
  if q1 then at, quote = q1, q2 end
  local loc = smatch(at, "^at%s+(.+)$")
  if at ~= "" and not loc then
    return false, "after the source's URL: 'at' and where (a time, a page), then a \"quote\"; got '" .. at .. "'"
  end
  return { source = { url = url, at = loc, quote = quote ~= "" and quote or nil } }
end

-- The parts of a label, trimmed, with its provenance part taken out. Parts
-- end at a bar with a space after it (as the pattern "(.-)%s*|%s+" over
-- label .. " | " would split it, without its lazy match retried at every
-- byte).
local function label_parts(label)
  local parts, prov, perr = {}, nil, nil
  local s, from = label .. " | ", 1
  while true do
    local bar = sfind(s, "|%s", from)
    if not bar then break end
    local a = sfind(s, "%S", from)              -- the part, trimmed
    local p = a < bar and smatch(ssub(s, a, bar - 1), "^.*%S") or ""
    from = sfind(s, "%S", bar + 2) or #s + 1    -- past the spaces after the bar
    local pv, why = provenance(p)
    if pv then prov = pv
    elseif pv == false then perr = why
    else parts[#parts + 1] = p end
  end
  return parts, prov, perr
end

-- The label's part for each language code of langs: `中文 | English` is
-- split in the order of langs (a missing part takes the last one); a label
-- without ` | ` serves every language. A provenance part (see above) is no
-- language's label.
local function labels_of(parts, langs)
  local out = {}
  for i = 1, #langs do
    out[langs[i]] = #parts == 0 and "" or parts[i] or parts[#parts]
  end
  return out
end

function M.labels(label, langs)
  return labels_of(label and label ~= "" and label_parts(label) or {}, langs)
end

-- The provenance of a definition's label: a table (see provenance), or
-- nil, or false and the reason it cannot be read.
function M.provenance(label)
  if not label or label == "" then return nil end
  local _, prov, perr = label_parts(label)
  if perr then return false, perr end
  return prov
end

-- defs: { {name, formula, label, file, line, col, fcol}, ... } in document order
-- refs: { {expr, spec, file, line, col, lang}, ... }
-- langs: { "zh", "en" } (order of labels in `-- zh | en` comments)
-- progress (optional): progress[1] is kept at the definition or reference
-- being worked on, and progress.errors is the list of errors so far, so
-- that the host can report them and place an error that ends the
-- evaluation (the budget, memory) where it happened.
function M.evaluate(defs, refs, langs, progress, extra)
  progress = progress or {}
  extra = extra or {}
  local errors, warnings = {}, {}
  progress.errors = errors
  local byname, order = {}, {}
  for i = 1, #defs do
    local d = defs[i]
    progress[1] = d
    local prev = byname[d.name]
    local instead = units.reserved(d.name)
    if instead then
      err(errors, where(d), string.format("'%s' is a unit; name the value '%s' or the like", d.name, instead))
    elseif not prev then
      byname[d.name] = d
      order[#order + 1] = d.name
    elseif prev.formula ~= d.formula then
      err(errors, where(d), string.format("'%s' is defined twice with different formulas: '%s' here, '%s' at %s",
        d.name, d.formula, prev.formula, place(prev)))
    elseif (d.label or "") ~= "" and (prev.label or "") == "" then
      prev.label = d.label
    end
  end
  local names = {}
  for n in pairs(byname) do names[#names + 1] = n end
  table.sort(names)
  local base = builtins()

  -- dependencies and unknown names
  local bad = {}
  for i = 1, #order do
    local n = order[i]
    local d = byname[n]
    progress[1] = d
    d.deps, d.seen = {}, {}
    -- `name = @slug.value`: another brief's value (cites.h), an input here
    local cslug, cname = smatch(d.formula, "^@(.+)%.([%a_][%w_]*)$")
    if cslug then
      d.cite = cslug .. "." .. cname
    elseif sfind(d.formula, "@", 1, true) then
      err(errors, { file = d.file, line = d.line, col = d.fcol }, string.format(
        "'%s': a value of another brief is cited as the whole formula, '%s = @brief.name'", n, n))
      bad[n] = true
    end
    local ids, code, ops
    if cslug or bad[n] then ids, code = {}, nil else ids, code, ops = scan(d.formula) end
    d.code = code
    if ops then
      integer_ops(errors, ops, d.file, d.line, d.fcol)
      bad[n] = true
    end
    for j = 1, #ids do
      local id = ids[j]
      if byname[id.name] then
        if not d.seen[id.name] then
          d.seen[id.name] = true
          d.deps[#d.deps + 1] = id.name
        end
      elseif base[id.name] == nil then
        local hint = M.suggest(id.name, names)
        err(errors, { file = d.file, line = d.line, col = d.fcol + id.offset - 1 },
          string.format("unknown name '%s'%s", id.name, hint and (" (did you mean '" .. hint .. "'?)") or ""))
        bad[n] = true
      end
    end
  end

  -- topological order; a cycle names every place on it
  local state, sorted = {}, {}
  local function visit(n, stack)
    if state[n] == "done" then return end
    if state[n] == "active" then
      local start
      for i, s in ipairs(stack) do if s == n then start = i end end
      local parts = {}
      for i = start, #stack do parts[#parts + 1] = stack[i] .. " (" .. place(byname[stack[i]]) .. ")" end
      parts[#parts + 1] = n
      local d = byname[n]
      err(errors, where(d), "cycle: " .. table.concat(parts, " -> "))
      for i = start, #stack do bad[stack[i]] = true end
      return
    end
    state[n] = "active"
    stack[#stack + 1] = n
    local deps = byname[n].deps
    for i = 1, #deps do visit(deps[i], stack) end
    stack[#stack] = nil
    state[n] = "done"
    sorted[#sorted + 1] = n
  end
  for i = 1, #order do visit(order[i], {}) end

  -- evaluation
  local values = {}
  local env = setmetatable({}, {
    __index = function(_, k)
      local v = values[k]
      if v ~= nil then return v end
      v = base[k]
      if v ~= nil then return v end
      error("unknown name '" .. tostring(k) .. "'", 2)
    end,
    __newindex = function(_, k) error("cannot assign to '" .. tostring(k) .. "' inside a formula", 2) end,
    __metatable = false,
  })
  -- Compiles and runs one expression (code: src as scan rewrote it) at its
  -- place; records the error and returns nil when it fails or does not give
  -- a finite number or quantity.
  local function run(code, src, at, what)
    local fn, cerr = compile(code, env)
    if not fn then
      -- the message as the author wrote it ("near '3'", not "near '3.0'")
      cerr = message(select(2, compile(src, env)) or cerr)
      fatal(cerr)
      err(errors, { file = at.file, line = at.line, col = 0 }, cerr)
      return nil
    end
    local ok, v = sandboxed(fn)
    if not ok then
      v = message(v)
      fatal(v)
      err(errors, { file = at.file, line = at.line, col = 0 }, v)
      return nil
    end
    if type(v) ~= "number" and not units.is_quantity(v) then
      err(errors, where(at), string.format("'%s' is a %s, not a number or quantity", what, type(v)))
      return nil
    end
    local x = units.is_quantity(v) and units.base(v) or v
    if x ~= x or x == math.huge or x == -math.huge then
      err(errors, where(at), string.format("'%s' is not a finite number (division by zero?)", what))
      return nil
    end
    return v, fn
  end

  -- An input given another value (`briefgen calc`, extra.overrides): a
  -- formula, or a bare number meaning the unit the input is shown in
  -- (`gpu_price=25000` for `37000 * USD`). Same dimensions as the value
  -- it replaces, or an error.
  local function override(d, v0, o)
    local ids, code, ops = scan(o.text)
    if ops then
      integer_ops(errors, ops, o.file, o.line, o.col)
      return nil
    end
    for j = 1, #ids do
      if base[ids[j].name] == nil then
        err(errors, o, string.format("'%s=%s': an input's new value may use units, not '%s'", d.name, o.text, ids[j].name))
        return nil
      end
    end
    local v = run(code, o.text, o, d.name)
    if v == nil then return nil end
    if type(v) == "number" then v = units.like(v0, v) end
    local d0 = units.is_quantity(v0) and units.dims_string(v0) or ""
    local d1 = units.is_quantity(v) and units.dims_string(v) or ""
    if d0 ~= d1 then
      err(errors, o, string.format("'%s' is %s; '%s' is %s", d.name, d0 == "" and "a plain number" or d0,
        o.text, d1 == "" and "a plain number" or d1))
      return nil
    end
    return v
  end

  local overrides = {}
  for i = 1, #(extra.overrides or {}) do
    local o = extra.overrides[i]
    local d = byname[o.name]
    if not d then
      local hint = M.suggest(o.name, names)
      err(errors, o, string.format("no value '%s' in this brief%s", o.name, hint and (" (did you mean '" .. hint .. "'?)") or ""))
    elseif #d.deps > 0 then
      err(errors, o, string.format("'%s' is computed from %s; give one of its inputs instead", o.name, table.concat(d.deps, ", ")))
    else
      overrides[o.name] = o
    end
  end

  for i = 1, #sorted do
    local n = sorted[i]
    local d = byname[n]
    local blocked = bad[n]
    for j = 1, #d.deps do if values[d.deps[j]] == nil then blocked = true end end
    if d.cite and not blocked then
      local c = extra.cites and extra.cites[n]
      local at = { file = d.file, line = d.line, col = d.fcol }
      if not c then
        err(errors, at, string.format("'%s' cites '%s': only a build of the whole site knows its value", n, d.cite))
      elseif c.err then
        err(errors, at, c.err)
      else
        local ok, v = pcall(units.restore, c.base, c.unit)
        if ok then values[n] = v else err(errors, at, string.format("'%s': %s", n, message(v))) end
      end
      if values[n] ~= nil and overrides[n] then values[n] = override(d, values[n], overrides[n]) end
    elseif not blocked then
      progress[1] = d
      values[n], d.fn = run(d.code, d.formula, d, n)
      if overrides[n] and values[n] ~= nil then values[n] = override(d, values[n], overrides[n]) end
    end
  end

  -- The model with some inputs changed (over: name -> value): only the
  -- values that read one of them (directly or not) are run again, by the
  -- functions compiled above; then fn(dirty) runs, and the model is put
  -- back as it was. Returns fn's results, or nil and why a value failed.
  local function with_inputs(over, fn)
    local saved, order, dirty, olds = {}, {}, {}, {}
    for n, x in pairs(over) do
      dirty[n] = true
      olds[n] = values[n]
      values[n] = x
    end
    local why
    for i = 1, #sorted do
      local n = sorted[i]
      local d = byname[n]
      local hit = false
      if over[n] == nil then
        for j = 1, #d.deps do if dirty[d.deps[j]] then hit = true break end end
      end
      if hit then
        dirty[n] = true
        order[#order + 1] = n
        saved[#order] = values[n]
        local v = nil
        local ready = d.fn ~= nil
        for j = 1, #d.deps do if values[d.deps[j]] == nil then ready = false end end
        if ready and not why then
          local ok, r = sandboxed(d.fn)
          if not ok then
            r = message(r)
            fatal(r)
            why = string.format("'%s': %s", n, r)
          else
            local xv = units.is_quantity(r) and units.base(r) or r
            if type(xv) ~= "number" or xv ~= xv or xv == math.huge or xv == -math.huge then
              why = string.format("'%s' is not a finite number (division by zero?)", n)
            else
              v = r
            end
          end
        end
        values[n] = v
      end
    end
    local r1, r2
    if not why then r1, r2 = fn(dirty) end
    for n in pairs(over) do values[n] = olds[n] end
    for k = 1, #order do values[order[k]] = saved[k] end
    if why then return nil, why end
    return r1, r2
  end

  -- The model again with input `name` at x: the values of targets.
  local function sweep(name, x, targets)
    return with_inputs({ [name] = x }, function()
      local out = {}
      for k = 1, #targets do out[k] = values[targets[k]] end
      return out
    end)
  end

  -- the model, sorted by name for numbers.json; shown[name][lang] is the
  -- text format gave, so that a reference to just that name (most of them)
  -- needs no compiling, running and formatting again
  local model, shown = {}, {}
  -- A value is shown (its table row, the hover of values computed from it,
  -- numbers.json, references without a format) as the first reference to
  -- just its name with a format shows it, so that a count the text cites
  -- exactly is not rounded elsewhere (1,764 servers, then 1,764 in the
  -- row and in the formula of the GPUs they carry, not 1,760).
  local first_spec = {}
  local shown_with = {} -- [name .. "\0" .. lang]: the format shown[name][lang] was made with
  for i = 1, #refs do
    local r = refs[i]
    if r.lang and r.spec and r.spec ~= "" and byname[r.expr] then
      local fs = first_spec[r.lang]
      if not fs then fs = {}; first_spec[r.lang] = fs end
      if fs[r.expr] == nil then fs[r.expr] = numfmt.parse_spec(r.spec) or false end
    end
  end
  for i = 1, #names do
    local n = names[i]
    local d, v = byname[n], values[n]
    if v ~= nil then
      -- the label split once for its languages' parts and its provenance
      -- (M.labels and M.provenance); the fields set below are sized in
      local parts, prov, perr = {}, nil, nil
      if d.label and d.label ~= "" then parts, prov, perr = label_parts(d.label) end
      local e = { name = n, formula = d.formula, inputs = d.deps, file = d.file, line = d.line,
        display = {}, labels = labels_of(parts, langs), source_url = nil, source_at = nil,
        source_quote = nil, assumption = false, value = nil, unit = nil, dims = nil, base = nil }
      if perr then prov = false; err(errors, where(d), string.format("'%s': %s", n, perr)) end
      if prov and prov.source then
        e.source_url, e.source_at, e.source_quote = prov.source.url, prov.source.at, prov.source.quote
      end
      e.assumption = prov and prov.assumption or false
      -- value and unit as shown in English, from the same pass as its text
      local en_unit, en_value
      shown[n] = {}
      progress[1] = d
      for i = 1, #langs do
        local l = langs[i]
        local sp = first_spec[l] and first_spec[l][n] or nil
        local text, un, val
        if sp then
          text, un, val = units.try_format(v, l, sp)
          if text then shown_with[n .. "\0" .. l] = sp.src end
        end
        if not text then text, un, val = units.try_format(v, l) end
        if text then
          shown[n][l] = text
          if l == "en" then en_unit, en_value = un, val end
        elseif numfmt.check(0, l) then -- the value cannot be shown: one error, and no reference shows it
          err(errors, where(d), string.format("'%s': %s", n, un))
          values[n], v = nil, nil
          break
        end
        e.display[l] = text or tostring(v) -- a language numfmt does not know: English
      end
      if v == nil then -- not in the model
      elseif units.is_quantity(v) then
        if en_unit == nil then en_unit, en_value = units.display_unit(v, "en") end
        e.value, e.unit = en_value, en_unit
        e.dims = units.dims_string(v)
        e.base = units.base(v)
      else
        e.value, e.unit, e.dims, e.base = v, "", "", v
      end
      if v ~= nil then
        model[#model + 1] = e
        model[n] = e
      end
    end
  end

  -- inline references
  -- Per evaluation only (nothing is kept once it returns): each spec is
  -- parsed once, the title of a reference to just a name is built once per
  -- language, and what such a reference gives (its text, provenance and
  -- error messages, which depend on the name, the language and the spec
  -- alone, as the value is the model's) is worked out once per language and
  -- spec: a name cited again only repeats it at its own place.
  local specs, spec_errs = {}, {}
  local titles, outcomes = {}, {}
  local ref_fns = {} -- the compiled expression of each reference that is not just a name
  local out = {}
  for i = 1, #refs do
    local r = refs[i]
    progress[1] = r
    local res = { text = nil, name = nil, cited = nil, formula = nil, inputs = nil, title = nil } -- sized
    out[i] = res
    -- `= name` (r.expr comes trimmed), most references: the name is all it
    -- cites, its value is the model's, and without a format the model's
    -- text is already there; nothing to scan, compile or run
    local just = byname[r.expr] and not keywords[r.expr] and r.expr
    local lang, spec = r.lang, r.spec
    local memo = just and lang ~= nil and spec ~= nil
    local byspec = memo and outcomes[lang]
    local known = byspec and byspec[spec]
    local o = known and known[just]
    if o then
      if o.serr then err(errors, { file = r.file, line = r.line, col = r.col }, o.serr) end
      if o.ferr then err(errors, where(r), o.ferr) end
      if o.text then
        local cited = { just }
        res.text, res.name, res.cited = o.text, just, cited
        res.formula, res.inputs, res.title = o.formula, o.inputs or cited, o.title
      end
    else
      if memo then
        o = {}
        if not byspec then byspec = {}; outcomes[lang] = byspec end
        if not known then known = {}; byspec[spec] = known end
        known[just] = o
      end
      local ok_ids = true
      local cited = {}
      local code
      if just then
        cited[1] = just
      else
        local ids, ops
        ids, code, ops = scan(r.expr)
        if ops then
          integer_ops(errors, ops, r.file, r.line, r.col)
          ok_ids = false
        end
        for j = 1, #ids do
          local id = ids[j]
          if byname[id.name] then
            cited[#cited + 1] = id.name
          elseif base[id.name] == nil then
            local hint = M.suggest(id.name, names)
            err(errors, { file = r.file, line = r.line, col = r.col + id.offset - 1 },
              string.format("unknown name '%s'%s", id.name, hint and (" (did you mean '" .. hint .. "'?)") or ""))
            ok_ids = false
          end
        end
      end
      local spec_ok, sp = true, nil
      if spec and spec ~= "" then
        sp = specs[spec]
        if sp == nil then
          local serr
          sp, serr = numfmt.parse_spec(spec)
          if not sp then sp, spec_errs[spec] = false, serr end
          specs[spec] = sp
        end
        if not sp then
          err(errors, { file = r.file, line = r.line, col = r.col }, spec_errs[spec])
          if o then o.serr = spec_errs[spec] end
          spec_ok, sp = false, nil
        end
      end
      local blocked = false
      for j = 1, #cited do if values[cited[j]] == nil then blocked = true end end
      if ok_ids and spec_ok and not blocked then
        -- a reference to just a name shows what the model's text is when
        -- that text was made with the same format (no format, or the first
        -- reference's): no formatting again
        local text = just and (spec == "" or shown_with[just .. "\0" .. lang] == spec) and shown[just][lang]
        local v = text or (just and values[just])
        if v == nil then v, ref_fns[i] = run(code, r.expr, r, r.expr) end
        local ferr
        if v ~= nil and not text then
          -- a parsed spec formats as its text does (numfmt.check)
          text, ferr = units.try_format(v, lang, sp)
          if not text then
            err(errors, where(r), ferr)
            if o then o.ferr = ferr end
          end
        end
        if text then
          res.text = text
          res.name = cited[1]
          res.cited = cited
          -- provenance: the formula of a single name, or the expression
          local single = just or (#cited == 1 and smatch(r.expr, "^%s*([%a_][%w_]*)%s*$") == cited[1])
          if single then
            local d = byname[cited[1]]
            res.formula = d.formula
            res.inputs = d.deps
          else
            res.formula = r.expr
            res.inputs = cited
          end
          local tl = just and lang ~= nil and titles[lang]
          local title = tl and tl[just]
          if not title then
            local lines = {}
            if single then
              local d = byname[cited[1]]
              lines[1] = d.name .. " = " .. d.formula
              for j = 1, #d.deps do
                local dep = d.deps[j]
                lines[#lines + 1] = dep .. " = " .. (model[dep] and model[dep].display[lang] or "?")
              end
            else
              lines[1] = r.expr
              for j = 1, #cited do
                local c = cited[j]
                lines[#lines + 1] = c .. " = " .. (model[c] and model[c].display[lang] or "?")
              end
            end
            title = table.concat(lines, "\n")
            if just and lang ~= nil then
              if not tl then tl = {}; titles[lang] = tl end
              tl[just] = title
            end
          end
          res.title = title
          if o then
            o.text, o.formula, o.title = text, res.formula, title
            if single then o.inputs = res.inputs end   -- else the reference's own cited
          end
        end
      end
    end
  end
  -- charts, each in the language of the page it stands in
  local charts = {}
  for i = 1, #(extra.charts or {}) do
    local spec = extra.charts[i]
    progress[1] = spec
    local lang = spec.lang
    local ctx = {
      lang = lang,
      value = function(n) return values[n] end,
      known = function(n) return byname[n] ~= nil end,
      input = function(n) return byname[n] ~= nil and #byname[n].deps == 0 end,
      shown = function(n) return model[n] and model[n].display[lang] end,
      label = function(n) return model[n] and model[n].labels[lang] or "" end,
      labels = function(text) return M.labels(text, langs)[lang] or "" end,
      sweep = sweep,
      err = function(at, msg) err(errors, at, msg) end,
      unknown = function(n, at)
        local hint = M.suggest(n, names)
        err(errors, at, string.format("unknown name '%s'%s", n, hint and (" (did you mean '" .. hint .. "'?)") or ""))
      end,
    }
    charts[i] = chart.data(spec, ctx) or false
  end
  -- what-if grids: every position of the controls evaluated, each text
  -- that depends on them formatted as the page formats it
  local whatifs = {}
  for i = 1, #(extra.whatif or {}) do
    progress[1] = extra.whatif[i]
    whatifs[i] = M.whatif_grid(extra.whatif[i], {
      byname = byname, values = values, model = model, refs = refs, out = out, names = names,
      ref_fns = ref_fns, with_inputs = with_inputs, err = function(at, msg) err(errors, at, msg) end,
    }) or false
  end
  -- a chart on a page with controls that depend on them: drawn for every
  -- scenario too, on one axis covering them all (the published drawing uses
  -- it as well, so that the page's script only moves marks)
  for i = 1, #(extra.charts or {}) do
    local spec = extra.charts[i]
    local grid, wi
    for w = 1, #(extra.whatif or {}) do
      if extra.whatif[w].lang == spec.lang and whatifs[w] then grid, wi = whatifs[w], extra.whatif[w] end
    end
    local c = charts[i]
    if c and grid and M.chart_moves(spec, grid) then
      progress[1] = spec
      local lang = spec.lang
      local first
      -- a line over a control: the line is the same whatever that control
      -- says (the sweep sets it), so the model runs once per position of
      -- the others
      local memo, prefix = {}, ""
      local function sweep_memo(name, x, targets)
        local key = prefix .. "|" .. string.format("%.17g", units.is_quantity(x) and (units.base(x)) or x)
        local hit = memo[key]
        if hit then return hit[1], hit[2] end
        local r1, r2 = sweep(name, x, targets)
        memo[key] = { r1, r2 }
        return r1, r2
      end
      local function ctx_of(opts)
        return {
          lang = lang, opts = opts,
          value = function(n) return values[n] end,
          known = function(n) return byname[n] ~= nil end,
          input = function(n) return byname[n] ~= nil and #byname[n].deps == 0 end,
          shown = function(n)
            local v = values[n]
            return v ~= nil and (units.try_format(v, lang)) or nil
          end,
          label = function(n) return model[n] and model[n].labels[lang] or "" end,
          labels = function(text) return M.labels(text, langs)[lang] or "" end,
          sweep = sweep_memo,
          err = function(_, msg) first = first or msg end,
          unknown = function(n) first = first or ("unknown name " .. n) end,
        }
      end
      local function each(fn)
        for s = 0, grid.count - 1 do
          local over, rest, key = {}, s, {}
          for k = #grid.controls, 1, -1 do
            local ctl = grid.controls[k]
            local pos = rest % #ctl.xs
            rest = (rest - pos) // #ctl.xs
            over[ctl.name] = grid.qs[k][pos + 1]
            if not (spec.sweep and spec.sweep.name == ctl.name) then key[#key + 1] = pos end
          end
          prefix = table.concat(key, ",")
          local _, why = with_inputs(over, function() fn(s) end)
          if why or first then return why or first, s end
        end
      end
      local lo, hi = c.vlo, c.vhi
      local scen = {}
      local why = each(function(s)
        local d = chart.data(spec, ctx_of({ unit = c.unit }))
        scen[s + 1] = d
        if d then
          if d.vlo < lo then lo = d.vlo end
          if d.vhi > hi then hi = d.vhi end
        end
      end)
      if why then
        err(errors, { file = spec.file, line = spec.line, col = spec.col },
          "this chart cannot follow the controls at line " .. wi.line .. ": " .. why)
        charts[i] = false
      else
        -- one axis for all: the published drawing's, covering every scenario
        local ticks = chart.retick(c, lo, hi)
        for k = 1, #scen do chart.retick(scen[k], lo, hi, ticks) end
        c.scen = scen
      end
    end
  end
  for i = 1, #whatifs do if whatifs[i] then whatifs[i].qs = nil end end
  return { model = model, refs = out, charts = charts, whatif = whatifs, errors = errors, warnings = warnings }
end

-- Whether a chart shows anything a what-if grid changes: a value that reads
-- one of its controls (the grid's `reach`), or a sweep of one.
function M.chart_moves(spec, grid)
  if spec.sweep and grid.reach[spec.sweep.name] then return true end
  for i = 1, #spec.items do
    for j = 1, #spec.items[i].names do
      if grid.reach[spec.items[i].names[j]] then return true end
    end
  end
  return false
end

-- The most positions a page's controls may have together, and one control.
M.WHATIF_MAX = 4096
M.WHATIF_STEPS = 101

-- A whatif block's grid (spec: { lang, file, line, col, controls = { {
-- name, from, to, step, line, col } } }) over the evaluated model (ctx, from
-- evaluate). Scenario s is the mixed-radix number of the controls'
-- positions, the last control fastest. Returns { count, controls = { {
-- name, label, xs, texts, k } }, refs = { { index, texts } }, rows = { {
-- name, texts } } }, or nil when the block is wrong (reported).
function M.whatif_grid(spec, ctx)
  local lang, byname, values = spec.lang, ctx.byname, ctx.values
  local refs, out = ctx.refs, ctx.out
  local spec_of = {}        -- parsed specs
  local function sp_of(s)
    if s == nil or s == "" then return nil end
    if spec_of[s] == nil then spec_of[s] = numfmt.parse_spec(s) or false end
    return spec_of[s] or nil
  end
  -- a value is shown (in its row, on its control) as the first reference
  -- to just its name with a format shows it
  local row_spec = {}
  for i = 1, #refs do
    local r, res = refs[i], out[i]
    if r.lang == lang and res.text and r.spec ~= "" and byname[r.expr] and row_spec[r.expr] == nil then
      row_spec[r.expr] = r.spec
    end
  end
  local ok, count = true, 1
  local controls, over0, seen = {}, {}, {}
  for i = 1, #spec.controls do
    local c = spec.controls[i]
    local at = { file = spec.file, line = c.line, col = c.col }
    local d = byname[c.name]
    local n = math.floor((c.to - c.from) / c.step + 1e-9) + 1
    if not d then
      local hint = M.suggest(c.name, ctx.names)
      ctx.err(at, string.format("unknown name '%s'%s", c.name, hint and (" (did you mean '" .. hint .. "'?)") or ""))
      ok = false
    elseif #d.deps > 0 then
      ctx.err(at, string.format("'%s' is computed from %s; a control sets an input", c.name, table.concat(d.deps, ", ")))
      ok = false
    elseif seen[c.name] then
      ctx.err(at, string.format("'%s' has a control already", c.name))
      ok = false
    elseif c.to <= c.from or c.step <= 0 then
      ctx.err(at, "a control goes from a smaller number to a larger one in positive steps")
      ok = false
    elseif n > M.WHATIF_STEPS then
      ctx.err(at, string.format("%d positions is more than a control has (at most %d): take a larger step", n, M.WHATIF_STEPS))
      ok = false
    elseif values[c.name] ~= nil then
      seen[c.name] = true
      local v0 = values[c.name]
      local dv = v0
      if units.is_quantity(v0) then _, dv = units.display_unit(v0, "en") end
      local k = math.floor((dv - c.from) / c.step + 0.5)
      local tol = 1e-9 * math.max(1, math.abs(dv))
      if k < 0 or k >= n or math.abs(c.from + k * c.step - dv) > tol then
        ctx.err(at, string.format("the published '%s' (%s) is not one of this control's positions (%s to %s, step %s): "
          .. "the reset must reach it", c.name, (units.try_format(v0, lang)), string.format("%.15g", c.from),
          string.format("%.15g", c.to), string.format("%.15g", c.step)))
        ok = false
      else
        local xs, qs, texts = {}, {}, {}
        for j = 1, n do
          xs[j] = j - 1 == k and dv or c.from + (j - 1) * c.step
          qs[j] = j - 1 == k and v0 or units.like(v0, xs[j])
          texts[j] = units.try_format(qs[j], lang, sp_of(row_spec[c.name])) or tostring(xs[j])
        end
        local label = ctx.model[c.name] and ctx.model[c.name].labels[lang] or ""
        controls[#controls + 1] = { name = c.name, label = label ~= "" and label or c.name, xs = xs, qs = qs,
          texts = texts, k = k, n = n }
        count = count * n
        over0[c.name] = qs[1]
      end
    end
  end
  if not ok then return nil end
  if #controls == 0 then
    ctx.err({ file = spec.file, line = spec.line, col = spec.col }, "a whatif block names the inputs it lets readers change")
    return nil
  end
  if count > M.WHATIF_MAX then
    ctx.err({ file = spec.file, line = spec.line, col = spec.col }, string.format(
      "%d scenarios is more than a page carries (at most %d): take larger steps or fewer controls", count, M.WHATIF_MAX))
    return nil
  end
  -- what the controls reach
  local dirty = ctx.with_inputs(over0, function(d) return d end) or {}
  for k in pairs(over0) do dirty[k] = true end
  local ref_targets = {}
  for i = 1, #refs do
    local r, res = refs[i], out[i]
    if r.lang == lang and res.text and res.cited then
      for j = 1, #res.cited do
        if dirty[res.cited[j]] then ref_targets[#ref_targets + 1] = { index = i, texts = {} } break end
      end
    end
  end
  local row_targets = {}
  for i = 1, #ctx.names do
    local n = ctx.names[i]
    if dirty[n] and ctx.model[n] then row_targets[#row_targets + 1] = { name = n, texts = {} } end
  end
  local why_at
  for s = 0, count - 1 do
    local over, rest, desc = {}, s, {}
    for c = #controls, 1, -1 do
      local ctl = controls[c]
      local pos = rest % ctl.n
      rest = (rest - pos) // ctl.n
      over[ctl.name] = ctl.qs[pos + 1]
      desc[c] = ctl.name .. " = " .. ctl.texts[pos + 1]
    end
    local _, why = ctx.with_inputs(over, function()
      for t = 1, #ref_targets do
        local rt = ref_targets[t]
        local r = refs[rt.index]
        local v
        local fn = ctx.ref_fns[rt.index]
        if fn then
          local fine, got = sandboxed(fn)
          if not fine then got = message(got); fatal(got); return nil, got end
          v = got
        else
          v = values[r.expr]
        end
        local text, ferr = units.try_format(v, lang, sp_of(r.spec))
        if not text then return nil, ferr end
        rt.texts[s + 1] = text
      end
      for t = 1, #row_targets do
        local rt = row_targets[t]
        local text, ferr = units.try_format(values[rt.name], lang, sp_of(row_spec[rt.name]))
        if not text then return nil, ferr end
        rt.texts[s + 1] = text
      end
      return true
    end)
    if why then why_at = table.concat(desc, ", ") .. ": " .. why break end
  end
  if why_at then
    ctx.err({ file = spec.file, line = spec.line, col = spec.col }, "at " .. why_at)
    return nil
  end
  local cs = {}
  for i = 1, #controls do
    local c = controls[i]
    cs[i] = { name = c.name, label = c.label, xs = c.xs, texts = c.texts, k = c.k }
  end
  local qs = {}
  for i = 1, #controls do qs[i] = controls[i].qs end
  -- qs and reach are for the charts (evaluate drops qs before returning)
  return { count = count, controls = cs, refs = ref_targets, rows = row_targets, qs = qs, reach = dirty }
end

return M
