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
local numfmt = require("numfmt")

-- String functions are called as functions, never as methods: in the calc
-- sandbox the string metatable offers formulas only a safe subset (calc.lua).
local smatch, sgmatch, sgsub, sfind, sreverse = string.match, string.gmatch, string.gsub, string.find, string.reverse

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

-- Formulas reach string methods through the string metatable, and Lua's
-- pattern matcher runs in C where the instruction budget never looks:
-- `("a"):rep(3000):find(".-.-.-.-x")` would hang the build. So in this state
-- (calc's own) strings offer only methods that run in bounded time;
-- the host modules call pattern functions as locals captured at load.
getmetatable("").__index = {
  rep = string.rep, format = string.format, len = string.len, sub = string.sub,
  upper = string.upper, lower = string.lower, byte = string.byte,
}

local keywords = {}
for k in sgmatch(("and break do else elseif end false for function goto if in local nil not or repeat return then true until while"), "%a+") do
  keywords[k] = true
end

-- Identifiers a formula reads as variables (not fields after `.`/`:`, not
-- inside strings or comments). Returns a list of {name, offset}.
function M.identifiers(src)
  local out, i, n = {}, 1, #src
  local prev = ""
  while i <= n do
    local c = src:sub(i, i)
    if smatch(c, "%s") then
      i = i + 1
    elseif src:sub(i, i + 1) == "--" then
      break
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n and src:sub(j, j) ~= c do
        if src:sub(j, j) == "\\" then j = j + 1 end
        j = j + 1
      end
      i, prev = j + 1, "str"
    elseif smatch(src, "^%[=*%[", i) then
      local eq = smatch(src, "^%[(=*)%[", i)
      local close = sfind(src, "]" .. eq .. "]", i, true)
      i, prev = (close or n) + #eq + 2, "str"
    elseif smatch(c, "%d") or (c == "." and smatch(src:sub(i + 1, i + 1), "%d")) then
      local j = i
      if smatch(src, "^0[xX]", i) then
        j = i + 2
        while j <= n and smatch(src:sub(j, j), "[%x%.pP]") do j = j + 1 end
      else
        while j <= n and smatch(src:sub(j, j), "[%d%.]") do j = j + 1 end
        if smatch(src:sub(j, j), "[eE]") then
          j = j + 1
          if smatch(src:sub(j, j), "[%+%-]") then j = j + 1 end
          while j <= n and smatch(src:sub(j, j), "%d") do j = j + 1 end
        end
      end
      i, prev = j, "num"
    elseif smatch(c, "[%a_]") then
      local name = smatch(src, "^[%a_][%w_]*", i)
      if not keywords[name] and prev ~= "." and prev ~= ":" then
        out[#out + 1] = { name = name, offset = i }
      end
      i, prev = i + #name, name
    else
      prev = c
      i = i + 1
    end
  end
  return out
end

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

-- The builtins every formula sees: units, math, a few string helpers.
local function builtins()
  local b = units.env()
  b.math = readonly(math, "math")
  for _, f in ipairs({ "min", "max", "floor", "ceil", "abs", "sqrt", "log", "exp" }) do b[f] = math[f] end
  b.string = readonly({ rep = string.rep, format = string.format, len = string.len,
    sub = string.sub, upper = string.upper, lower = string.lower }, "string")
  b.tostring, b.tonumber, b.type = tostring, tonumber, type
  b.pcall = nil
  return b
end

local function where(d) return { file = d.file, line = d.line, col = d.col } end

local function err(errors, at, msg)
  errors[#errors + 1] = { file = at.file, line = at.line, col = at.col or 0, msg = msg }
end

-- Splits Lua's "file:line: message" into position and text.
local function split_lua_error(e, fallback)
  e = tostring(e)
  local file, line, msg = smatch(e, "^(.-):(%d+): (.*)$")
  if file and not smatch(file, "^%[") then
    return { file = file, line = tonumber(line), col = 0 }, msg
  end
  return fallback, e
end

local function place(d) return string.format("%s:%d:%d", d.file, d.line, d.col) end

-- A runaway formula (budget or memory) ends the whole evaluation: nothing
-- after it could be trusted to finish in time.
local function fatal_check(e, at)
  e = tostring(e)
  if sfind(e, "instruction budget", 1, true) then error(e, 0) end
  if sfind(e, "not enough memory", 1, true) then
    error(string.format("%s:%d: memory limit of the calc sandbox exceeded", at.file, at.line), 0)
  end
end

-- Compiles `return <expr>` alone, named after its file. (Padding it with
-- line - 1 newlines would give Lua the file's line numbers, but costs time
-- in proportion to the line: quadratic over a long page.) Lua then calls
-- the formula's line 1; at_line puts messages back on the file's line.
local function compile(expr, at, env)
  return load("return " .. expr, "@" .. at.file, "t", env)
end

local function at_line(e, at)
  if type(e) ~= "string" then return e end
  local prefix = at.file .. ":1:"
  if e:sub(1, #prefix) == prefix then
    return at.file .. ":" .. at.line .. ":" .. e:sub(#prefix + 1)
  end
  return e
end

function M.label_for(label, lang, langs)
  if not label or label == "" then return "" end
  local parts = {}
  for p in sgmatch((label .. " | "), "(.-)%s*|%s+") do parts[#parts + 1] = smatch(p, "^%s*(.-)%s*$") end
  if #parts <= 1 then return label end
  for i, code in ipairs(langs) do
    if code == lang then return parts[i] or parts[#parts] end
  end
  return parts[#parts]
end

-- defs: { {name, formula, label, file, line, col, fcol}, ... } in document order
-- refs: { {expr, spec, file, line, col, lang}, ... }
-- langs: { "zh", "en" } (order of labels in `-- zh | en` comments)
function M.evaluate(defs, refs, langs)
  local errors, warnings = {}, {}
  local byname, order = {}, {}
  for _, d in ipairs(defs) do
    local prev = byname[d.name]
    if not prev then
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
  for _, n in ipairs(order) do
    local d = byname[n]
    d.deps, d.seen = {}, {}
    for _, id in ipairs(M.identifiers(d.formula)) do
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
    for _, dep in ipairs(byname[n].deps) do visit(dep, stack) end
    stack[#stack] = nil
    state[n] = "done"
    sorted[#sorted + 1] = n
  end
  for _, n in ipairs(order) do visit(n, {}) end

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
  -- Compiles and runs one expression at its place; records the error and
  -- returns nil when it fails or does not give a finite number or quantity.
  local function run(expr, at, what)
    local fn, cerr = compile(expr, at, env)
    if not fn then
      local pos, msg = split_lua_error(at_line(cerr, at), where(at))
      err(errors, pos, msg)
      return nil
    end
    local ok, v = pcall(fn)
    if not ok then
      v = at_line(v, at)
      fatal_check(v, at)
      local pos, msg = split_lua_error(v, where(at))
      if pos.line == 0 then pos = where(at) end
      err(errors, pos, msg)
      return nil
    end
    if type(v) ~= "number" and not units.is_quantity(v) then
      err(errors, where(at), string.format("'%s' is a %s, not a number or quantity", what, type(v)))
      return nil
    end
    local x = units.is_quantity(v) and v.v or v
    if x ~= x or x == math.huge or x == -math.huge then
      err(errors, where(at), string.format("'%s' is not a finite number (division by zero?)", what))
      return nil
    end
    return v
  end

  for _, n in ipairs(sorted) do
    local d = byname[n]
    local blocked = bad[n]
    for _, dep in ipairs(d.deps) do if values[dep] == nil then blocked = true end end
    if not blocked then
      values[n] = run(d.formula, d, n)
    end
  end

  local function show(v, lang, spec)
    local ok, s = pcall(units.format, v, lang, spec)
    if ok then return s end
    return nil, sgsub(tostring(s), "^.-:%d+: ", "")
  end

  -- the model, sorted by name for numbers.json
  local model = {}
  for _, n in ipairs(names) do
    local d, v = byname[n], values[n]
    if v ~= nil then
      local e = { name = n, formula = d.formula, inputs = d.deps, file = d.file, line = d.line,
        display = {}, labels = {} }
      if units.is_quantity(v) then
        local un, val = units.display_unit(v, "en")
        e.value, e.unit = val, un
        e.dims = units.dims_string(v)
      else
        e.value, e.unit, e.dims = v, "", ""
      end
      for _, l in ipairs(langs) do
        e.display[l] = show(v, l) or tostring(v)
        e.labels[l] = M.label_for(d.label, l, langs)
      end
      model[#model + 1] = e
      model[n] = e
    end
  end

  -- inline references
  local out = {}
  for i, r in ipairs(refs) do
    local res = {}
    out[i] = res
    local ok_ids = true
    local cited = {}
    for _, id in ipairs(M.identifiers(r.expr)) do
      if byname[id.name] then
        cited[#cited + 1] = id.name
      elseif base[id.name] == nil then
        local hint = M.suggest(id.name, names)
        err(errors, { file = r.file, line = r.line, col = r.col + id.offset - 1 },
          string.format("unknown name '%s'%s", id.name, hint and (" (did you mean '" .. hint .. "'?)") or ""))
        ok_ids = false
      end
    end
    local spec_ok = true
    if r.spec and r.spec ~= "" then
      local s, serr = numfmt.parse_spec(r.spec)
      if not s then
        err(errors, { file = r.file, line = r.line, col = r.col }, serr)
        spec_ok = false
      end
    end
    local blocked = false
    for _, c in ipairs(cited) do if values[c] == nil then blocked = true end end
    if ok_ids and spec_ok and not blocked then
      local v = run(r.expr, r, r.expr)
      local text, ferr
      if v ~= nil then
        text, ferr = show(v, r.lang, r.spec ~= "" and r.spec or nil)
        if not text then err(errors, where(r), ferr) end
      end
      if text then
        res.text = text
        res.name = cited[1]
        res.cited = cited
        -- provenance: the formula of a single name, or the expression
        local lines = {}
        local single = #cited == 1 and smatch(r.expr, "^%s*([%a_][%w_]*)%s*$") == cited[1]
        if single then
          local d = byname[cited[1]]
          lines[1] = d.name .. " = " .. d.formula
          for _, dep in ipairs(d.deps) do
            lines[#lines + 1] = dep .. " = " .. (model[dep] and model[dep].display[r.lang] or "?")
          end
          res.formula = d.formula
          res.inputs = d.deps
        else
          lines[1] = r.expr
          for _, c in ipairs(cited) do
            lines[#lines + 1] = c .. " = " .. (model[c] and model[c].display[r.lang] or "?")
          end
          res.formula = r.expr
          res.inputs = cited
        end
        res.title = table.concat(lines, "\n")
      end
    end
  end
  return { model = model, refs = out, errors = errors, warnings = warnings }
end

return M
