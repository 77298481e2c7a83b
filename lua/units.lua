-- units.lua: quantities with dimensions for briefgen calc blocks.
--
-- A quantity holds v = value in base units, d = {dim = exponent}, u = display
-- unit name or nil, pin = true when u was chosen with :to(), under keys
-- private to this module (so it is immutable), and has the metatable
-- units.Q. An unpinned u in W/Wh/byte units is only a hint: the number is
-- auto-scaled (700 W * 400000 shows as 280 MW). Dims tables are never
-- mutated after creation, so quantities may share them. Dimensionless
-- results collapse to plain Lua numbers. See docs/calc-units.md.

local numfmt = require("numfmt")

-- String functions are called as functions, never as methods: in the calc
-- sandbox the string metatable offers formulas only a safe subset (calc.lua).
local smatch, sgmatch, sbyte, ssub = string.match, string.gmatch, string.byte, string.sub

local M = {}
local Q = {}          -- metatable of every quantity
local methods = {}    -- q:to(...), q:value_in(...)
M.Q = Q

-- A quantity keeps its fields under keys that are private to this module:
-- a formula can neither read nor write them (it has no next, rawget or
-- debug), and assigning any field is an error (Q.__newindex). So
-- quantities are immutable: a formula cannot change the GW that another
-- formula reads. Host code reads them with units.base(q).
local QV, QD, QU, QPIN = {}, {}, {}, {}

-- Base dimensions in display order (also the order of dims_string parts).
local DIMS = { "usd", "W", "byte", "gpu", "chip", "server", "token", "user", "core", "s" }
local DIM_NAME = { usd = "USD", W = "W", s = "s", byte = "byte", gpu = "GPU", chip = "chip",
  server = "server", token = "token", user = "user", core = "core" }
local COUNTS = { gpu = true, chip = true, server = true, token = true, user = true, core = true }

-- Kinds: what a group of base dimensions means, how to auto-scale it in a
-- numerator (ladder) and which unit to use after "per" (per).
local KINDS = {
  money  = { d = { usd = 1 }, ladder = { "USD" }, per = "USD" },
  power  = { d = { W = 1 }, ladder = { "W", "kW", "MW", "GW" }, per = "kW", decimal = true },
  energy = { d = { W = 1, s = 1 }, ladder = { "Wh", "kWh", "MWh", "GWh", "TWh" }, per = "kWh",
             decimal = true },
  time   = { d = { s = 1 }, ladder = { "second", "minute", "hour", "day", "year" }, per = "hour" },
  data   = { d = { byte = 1 }, ladder = { "byte", "KB", "MB", "GB", "TB", "PB" }, per = "GB",
             decimal = true },
}
-- Part order inside a compound unit: money, counts, data, then W/s kinds.
local KIND_ORDER = { "money", "gpu", "chip", "server", "token", "user", "core", "data",
  "power", "energy", "time" }
local KIND_RANK = {}
for i, k in ipairs(KIND_ORDER) do KIND_RANK[k] = i end

-- Unit registry. en/en_pl: English singular/plural after a number (sym:
-- a symbol, never pluralised); zh: text after a number and after 每;
-- zh_noun: bare noun for table labels.
local UNITS = {}
-- Factors are floats, like every value of a formula: integer factors would
-- make integer arithmetic of quantities (hour * hour * ... wraps around).
local function def(name, f, kind, t)
  t.name, t.f, t.kind = name, f + 0.0, kind
  t.d = KINDS[kind] and KINDS[kind].d or { [kind] = 1 }
  t.en_pl = t.en_pl or t.en
  t.zh_noun = t.zh_noun or t.zh
  UNITS[name] = t
end
local function sym(name, f, kind) def(name, f, kind, { en = name, zh = name }) end
local function count(name, dim, en, zh, noun)
  KINDS[dim] = { d = { [dim] = 1 }, ladder = { name }, per = name }
  def(name, 1, dim, { en = en, en_pl = en .. "s", zh = zh, zh_noun = noun })
end

def("USD", 1, "money", { en = "dollar", en_pl = "dollars", zh = "美元" })
sym("W", 1, "power"); sym("kW", 1e3, "power"); sym("MW", 1e6, "power"); sym("GW", 1e9, "power")
local HOUR, YEAR = 3600, 365 * 86400
sym("Wh", HOUR, "energy"); sym("kWh", 1e3 * HOUR, "energy"); sym("MWh", 1e6 * HOUR, "energy")
sym("GWh", 1e9 * HOUR, "energy"); sym("TWh", 1e12 * HOUR, "energy")
def("second", 1, "time", { en = "second", en_pl = "seconds", zh = "秒" })
def("minute", 60, "time", { en = "minute", en_pl = "minutes", zh = "分鐘" })
def("hour", HOUR, "time", { en = "hour", en_pl = "hours", zh = "小時" })
def("day", 86400, "time", { en = "day", en_pl = "days", zh = "天" })
def("month", YEAR // 12, "time", { en = "month", en_pl = "months", zh = "個月", zh_noun = "月" })
def("year", YEAR, "time", { en = "year", en_pl = "years", zh = "年" })
def("byte", 1, "data", { en = "byte", en_pl = "bytes", zh = "位元組" })
sym("KB", 1e3, "data"); sym("MB", 1e6, "data"); sym("GB", 1e9, "data")
sym("TB", 1e12, "data"); sym("PB", 1e15, "data")
count("GPU", "gpu", "GPU", "個 GPU", "GPU")
count("chip", "chip", "chip", "顆晶片", "晶片")
count("server", "server", "server", "台伺服器", "伺服器")
count("token", "token", "token", "個 token", "token")
count("user", "user", "user", "位用戶", "用戶")
count("core", "core", "core", "個核心", "核心")

---------------------------------------------------------------- dims

local function is_q(x) return getmetatable(x) == Q end
M.is_quantity = is_q

local function same_dims(a, b)
  for k, e in pairs(a) do if b[k] ~= e then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function combine(a, b, sign)       -- a + sign * b, zeros removed
  local r = {}
  for k, e in pairs(a) do r[k] = e end
  for k, e in pairs(b) do
    local n = (r[k] or 0) + sign * e
    r[k] = n ~= 0 and n or nil
  end
  return r
end

-- Dims keys in a fixed order (pairs() order varies between runs).
-- (Loops in this file that run for every value shown are numeric: ipairs
-- costs a C call per element.)
local KNOWN_DIM = {}
for _, k in ipairs(DIMS) do KNOWN_DIM[k] = true end
local function dim_keys(d)
  local keys, n = {}, 0
  for i = 1, #DIMS do
    local k = DIMS[i]
    if d[k] then n = n + 1; keys[n] = k end
  end
  local extra
  for k in pairs(d) do
    if not KNOWN_DIM[k] then extra = extra or {}; extra[#extra + 1] = k end
  end
  if extra then
    table.sort(extra)
    for i = 1, #extra do keys[n + i] = extra[i] end
  end
  return keys
end

-- Does d have a key outside DIMS (units.new takes any)?
local function has_extra(d)
  for k in next, d do
    if not KNOWN_DIM[k] then return true end
  end
  return false
end

local function dims_string_keys(d)         -- any keys: dim_keys' order
  local num, den = {}, {}
  local keys = dim_keys(d)
  for i = 1, #keys do
    local k = keys[i]
    local e, name = d[k], DIM_NAME[k] or k
    local t = e > 0 and num or den
    e = math.abs(e)
    t[#t + 1] = e == 1 and name or name .. "^" .. e
  end
  local s = #num > 0 and table.concat(num, "·") or "1"
  if #den == 1 then s = s .. "/" .. den[1]
  elseif #den > 1 then s = s .. "/(" .. table.concat(den, "·") .. ")" end
  return s
end

-- The same text, without tables, when every key is one of DIMS (always,
-- but for quantities from units.new).
local function dims_string(d)
  if has_extra(d) then return dims_string_keys(d) end
  local num, den, nden
  for i = 1, #DIMS do
    local k = DIMS[i]
    local e = d[k]
    if e then
      local name = DIM_NAME[k]
      if e > 0 then
        local part = e == 1 and name or name .. "^" .. e
        num = num and num .. "·" .. part or part
      else
        local part = e == -1 and name or name .. "^" .. math.abs(e)
        den, nden = den and den .. "·" .. part or part, (nden or 0) + 1
      end
    end
  end
  local s = num or "1"
  if nden == 1 then s = s .. "/" .. den
  elseif nden then s = s .. "/(" .. den .. ")" end
  return s
end

function M.dims_string(x)
  if type(x) == "number" then return "" end
  if not is_q(x) then error("dims_string: expected a quantity, got a " .. type(x), 2) end
  return dims_string(x[QD])
end

-- How a value is named in error messages.
local function describe(x)
  if is_q(x) then return x[QU] or dims_string(x[QD]) end
  if type(x) == "number" then return "a plain number" end
  return "a " .. type(x)
end

-- Split dims into kinds: {num kinds}, {den kinds}, or nil if the dims have
-- no readable shape. W with s of the same sign is energy. A numerator has
-- one kind, or a count times time ("GPU-hours").
local function kind_rank(a, b) return KIND_RANK[a] < KIND_RANK[b] end
-- (Built in one loop over DIMS: it runs for most values shown.)
local function decompose(d)
  if has_extra(d) then
    dim_keys(d)                             -- sorts them, as it always did
    return nil                              -- a dimension of no kind
  end
  local num, den, nn, nd = {}, {}, 0, 0
  for i = 1, #DIMS do
    local k = DIMS[i]
    local e = d[k]
    if e and k ~= "W" and k ~= "s" then
      local kind = COUNTS[k] and k or (k == "usd" and "money") or "data"
      if e == 1 then nn = nn + 1; num[nn] = kind
      elseif e == -1 then nd = nd + 1; den[nd] = kind
      else return nil end
    end
  end
  local w, s = d.W or 0, d.s or 0
  if w ~= 0 then
    local kind = "power"
    if w == s then s, kind = 0, "energy" end
    if w == 1 then nn = nn + 1; num[nn] = kind
    elseif w == -1 then nd = nd + 1; den[nd] = kind
    else return nil end
  end
  if s == 1 then nn = nn + 1; num[nn] = "time"
  elseif s == -1 then nd = nd + 1; den[nd] = "time"
  elseif s ~= 0 then return nil end
  if nn > 1 then table.sort(num, kind_rank) end
  if nd > 1 then table.sort(den, kind_rank) end
  if nn > 2 or (nn == 2 and not (COUNTS[num[1]] and num[2] == "time")) then return nil end
  return num, den
end

---------------------------------------------------------------- unit expressions

-- A unit expression: "GW", "USD/token", "USD/GPU/hour", "GPU*hour", "1/hour".
-- Parsed to {num = {unit records}, den = {...}, f = factor, d = dims, name}.
local function unit_rank(a, b) return KIND_RANK[a.kind] < KIND_RANK[b.kind] end
local function build(num, den)
  if #num > 1 then table.sort(num, unit_rank) end
  if #den > 1 then table.sort(den, unit_rank) end
  local f, d, names = 1, {}, {}
  for i = 1, #num do local u = num[i]; f = f * u.f; d = combine(d, u.d, 1); names[i] = u.name end
  local name = #names > 0 and table.concat(names, "*") or "1"
  for i = 1, #den do local u = den[i]; f = f / u.f; d = combine(d, u.d, -1); name = name .. "/" .. u.name end
  return { num = num, den = den, f = f, d = d, name = name }
end

-- Every unit name alone, parsed once at load: most quantities carry one.
-- These are shared by every brief of the state, so nothing may change them:
-- build() sorts only lists of two or more, and no caller writes to a parsed
-- unit; none is ever handed to a formula.
local SINGLE = {}

local function parse_unit(s)
  local single = SINGLE[s]
  if single then return single end
  if type(s) ~= "string" then return nil, "a unit name must be a string" end
  local num, den, first = {}, {}, true
  for seg in sgmatch((s .. "/"), "([^/]*)/") do
    for part in sgmatch((seg .. "*"), "([^*]*)%*") do
      part = smatch(part, "^%s*(.-)%s*$")
      local u = UNITS[part]
      if not (u or (first and part == "1")) then
        return nil, "unknown unit '" .. part .. "' in '" .. s .. "'"
      end
      if u then table.insert(first and num or den, u) end
    end
    first = false
  end
  return build(num, den)
end
for name in pairs(UNITS) do SINGLE[name] = parse_unit(name) end

-- Unit name for a * or / of two named quantities, kept only when it is
-- exactly the readable shape of the result (USD / year -> "USD/year";
-- MW * hour is energy, so it is dropped and shown as MWh).
local function compose(ua, ub, d, divide)
  if not (ua and ub) then return nil end
  local a, b = parse_unit(ua), parse_unit(ub)
  if not (a and b) then return nil end
  local num, den = {}, {}
  for i = 1, #a.num do num[#num + 1] = a.num[i] end
  for i = 1, #a.den do den[#den + 1] = a.den[i] end
  local bn, bd = divide and den or num, divide and num or den
  for i = 1, #b.num do bn[#bn + 1] = b.num[i] end
  for i = 1, #b.den do bd[#bd + 1] = b.den[i] end
  local knum, kden = decompose(d)
  if not knum or #knum ~= #num or #kden ~= #den then return nil end
  local e = build(num, den)
  for i = 1, #e.num do if e.num[i].kind ~= knum[i] then return nil end end
  for i = 1, #e.den do if e.den[i].kind ~= kden[i] then return nil end end
  return e.name
end

---------------------------------------------------------------- construction

local function make(v, d, u, pin)
  if next(d) == nil then return v end     -- dimensionless -> plain number
  return setmetatable({ [QV] = v, [QD] = d, [QU] = u, [QPIN] = (u and pin) or nil }, Q)
end

-- units.new(v, dims [, u]): a quantity (or v itself when dims are all zero);
-- a given u is pinned, as with :to().
function M.new(v, dims, u)
  if type(v) ~= "number" then error("units.new: value must be a number", 2) end
  v = v + 0.0
  local d = {}
  for k, e in pairs(dims or {}) do
    local i = math.tointeger(e)
    if not i then error("units.new: exponent of " .. tostring(k) .. " must be an integer", 2) end
    if i ~= 0 then d[k] = i end
  end
  if u ~= nil then
    local ex, err = parse_unit(u)
    if not ex then error(err, 2) end
    if not same_dims(ex.d, d) then error("units.new: unit " .. u .. " does not match " .. dims_string(d), 2) end
    u = ex.name
  end
  return make(v, d, u, true)
end

-- units.restore(base, unit): the quantity of `base` base units shown in
-- `unit` (pinned), or base itself when unit is "": another brief's value
-- as that brief shows it (cites.h), exactly, with no conversion.
function M.restore(base, unit)
  if unit == nil or unit == "" then return base end
  local ex, err = parse_unit(unit)
  if not ex then error(err, 2) end
  return make(base + 0.0, ex.d, ex.name, true)
end

-- A fresh table of unit constants each call, so every sandbox owns its own.
function M.env()
  local env = {}
  for name in pairs(UNITS) do env[name] = M.constant(name) end
  env.percent = 0.01
  return env
end

-- units.reserved(name) -> nil, or a name to suggest instead when name is a
-- unit constant (or `percent`): a value may not take a unit's name, or the
-- formulas reading it would get the value instead of the unit.
local SUGGEST = { money = "_cost", power = "_power", energy = "_energy", data = "_size" }
function M.reserved(name)
  if name == "percent" then return "share" end
  local u = UNITS[name]
  if not u then return nil end
  if u.kind == "time" then return name .. "s" end
  return string.lower(name) .. (SUGGEST[u.kind] or "_count")
end

-- units.constant(name): a new unit constant (or `percent`) as env() holds
-- it, or nil when name is neither; lets a sandbox make only those it uses.
function M.constant(name)
  if name == "percent" then return 0.01 end
  local u = UNITS[name]
  if not u then return nil end
  local d = {}
  for k, e in pairs(u.d) do d[k] = e end
  return setmetatable({ [QV] = u.f, [QD] = d, [QU] = name }, Q)
end

---------------------------------------------------------------- arithmetic
-- Every mismatch raises error(msg, 2): level 2 is the formula that did the
-- arithmetic (metamethods are called directly from the formula's frame).

function Q.__add(a, b)
  if not (is_q(a) and is_q(b) and same_dims(a[QD], b[QD])) then
    error("cannot add " .. describe(a) .. " and " .. describe(b), 2)
  end
  if a[QU] then return make(a[QV] + b[QV], a[QD], a[QU], a[QPIN]) end   -- left unit wins
  return make(a[QV] + b[QV], a[QD], b[QU], b[QPIN])
end

function Q.__sub(a, b)
  if not (is_q(a) and is_q(b) and same_dims(a[QD], b[QD])) then
    error("cannot subtract " .. describe(b) .. " from " .. describe(a), 2)
  end
  if a[QU] then return make(a[QV] - b[QV], a[QD], a[QU], a[QPIN]) end
  return make(a[QV] - b[QV], a[QD], b[QU], b[QPIN])
end

function Q.__mul(a, b)
  if type(a) == "number" and is_q(b) then return make(a * b[QV], b[QD], b[QU], b[QPIN]) end
  if type(b) == "number" and is_q(a) then return make(a[QV] * b, a[QD], a[QU], a[QPIN]) end
  if not (is_q(a) and is_q(b)) then
    error("cannot multiply " .. describe(a) .. " and " .. describe(b), 2)
  end
  local d = combine(a[QD], b[QD], 1)
  if next(d) == nil then return a[QV] * b[QV] end   -- a plain number: no unit to name
  return make(a[QV] * b[QV], d, compose(a[QU], b[QU], d, false))
end

function Q.__div(a, b)
  if type(b) == "number" and is_q(a) then return make(a[QV] / b, a[QD], a[QU], a[QPIN]) end
  if type(a) == "number" and is_q(b) then
    local d = combine({}, b[QD], -1)
    return make(a / b[QV], d, compose("1", b[QU], d, true))
  end
  if not (is_q(a) and is_q(b)) then
    error("cannot divide " .. describe(a) .. " by " .. describe(b), 2)
  end
  local d = combine(a[QD], b[QD], -1)
  if next(d) == nil then return a[QV] / b[QV] end   -- a plain number: no unit to name
  return make(a[QV] / b[QV], d, compose(a[QU], b[QU], d, true))
end

function Q.__unm(a) return make(-a[QV], a[QD], a[QU], a[QPIN]) end

-- Dimension exponents are integers; bounded, so that no sum of them can
-- wrap around (W^(2^62) four times over would be dimensionless).
local MAX_EXP = 64

function Q.__pow(a, b)
  if not is_q(a) or type(b) ~= "number" then
    error("cannot raise " .. describe(a) .. " to the power " .. describe(b)
      .. " (the exponent must be a plain number)", 2)
  end
  local d = {}
  for k, e in pairs(a[QD]) do
    local n = math.tointeger(e * b)
    if not n then
      error("cannot raise " .. describe(a) .. " to the power " .. tostring(b)
        .. " (dimension exponents must stay whole)", 2)
    end
    if n > MAX_EXP or n < -MAX_EXP then
      error("cannot raise " .. describe(a) .. " to the power " .. tostring(b)
        .. " (dimension exponents must stay within " .. MAX_EXP .. ")", 2)
    end
    if n ~= 0 then d[k] = n end
  end
  return make(a[QV] ^ b, d, b == 1 and a[QU] or nil, a[QPIN])
end

local function comparable(a, b)
  if not (is_q(a) and is_q(b) and same_dims(a[QD], b[QD])) then
    error("cannot compare " .. describe(a) .. " and " .. describe(b), 3)
  end
end
-- Lua calls __eq only when both sides are tables, so q == 5 is just false.
function Q.__eq(a, b) comparable(a, b); return a[QV] == b[QV] end
function Q.__lt(a, b) comparable(a, b); return a[QV] < b[QV] end
function Q.__le(a, b) comparable(a, b); return a[QV] <= b[QV] end

Q.__index = methods
Q.__name = "quantity"
function Q.__newindex(q, k)
  error("cannot set field '" .. tostring(k) .. "' of " .. describe(q) .. ": quantities cannot be changed", 2)
end

-- units.base(q) -> value in base units, dims table (shared: never change
-- it), unit name or nil, pinned or nil.
function M.base(q)
  if not is_q(q) then error("units.base: expected a quantity, got a " .. type(q), 2) end
  return q[QV], q[QD], q[QU], q[QPIN]
end

---------------------------------------------------------------- conversion

local function unit_arg(unit)               -- a named unit constant or a string
  if is_q(unit) then
    if not unit[QU] then
      return nil, "cannot convert to an unnamed unit (" .. dims_string(unit[QD])
        .. "); give its name as a string, e.g. q:to(\"USD/year\")"
    end
    return parse_unit(unit[QU])
  end
  return parse_unit(unit)
end

-- q:to(unit) / units.to(q, unit): same value, displayed in unit.
function M.to(q, unit)
  local ex, err = unit_arg(unit)
  if not ex then error(err, 2) end
  if not (is_q(q) and same_dims(q[QD], ex.d)) then
    error("cannot convert " .. describe(q) .. " to " .. ex.name, 2)
  end
  return make(q[QV], q[QD], ex.name, true)
end

-- units.value_in(q, unit): the number of `unit`s in q.
function M.value_in(q, unit)
  if type(q) == "number" and (unit == nil or unit == "" or unit == "1") then return q end
  local ex, err = unit_arg(unit)
  if not ex then error(err, 2) end
  if not (is_q(q) and same_dims(q[QD], ex.d)) then
    error("cannot convert " .. describe(q) .. " to " .. ex.name, 2)
  end
  return q[QV] / ex.f
end

-- units.like(v0, x): x in the unit v0 is shown in (in English), keeping
-- v0's unit and the way it is shown: what an input becomes when an author
-- gives it a bare number (`briefgen calc price=25000`, a chart's sweep, a
-- what-if control). A plain v0 takes x as it is.
function M.like(v0, x)
  if not is_q(v0) then return x end
  local unit, dv = M.display_unit(v0, "en")
  if dv == 0 then return M.in_unit(x, unit) end
  return v0 * (x / dv)
end

-- units.in_unit(x, unit): x `unit`s, shown in that unit (a chart's tick).
function M.in_unit(x, unit)
  local ex, err = parse_unit(unit)
  if not ex then error(err, 2) end
  return make(x * ex.f, ex.d, ex.name, true)
end

methods.to, methods.value_in = M.to, M.value_in

---------------------------------------------------------------- display

-- Largest ladder rung with |value| >= 1 rung; if rounding for display
-- reaches the next rung (999.96 kW -> "1,000"), move up. When the value
-- was formatted on the way (in the rung kept), that value and its text
-- come too, so that render need not format it again.
local function ladder_pick(ladder, x, lang, sp)
  local i, a = 1, math.abs(x)
  for j = 2, #ladder do if a >= UNITS[ladder[j]].f then i = j end end
  if i < #ladder then
    local cur, nxt = UNITS[ladder[i]], UNITS[ladder[i + 1]]
    local v = x / cur.f
    local text, r = numfmt.format_round(v, lang, sp)
    if math.abs(r) >= nxt.f / cur.f then return nxt end
    return cur, v, text
  end
  return UNITS[ladder[i]]
end

-- A finite value can still overflow when it is shown per unit: 1e308 USD
-- per GPU-second is 3.6e311 per GPU-hour. That is an error, never "inf".
local huge = math.huge
local function finite(x) return x == x and x ~= huge and x ~= -huge end
local function too_large(q)
  return string.format("the value %.3g %s is too large to show", q[QV], dims_string(q[QD]))
end

-- The unit expression q is shown in: its preferred unit (a soft W/Wh/byte
-- numerator is re-scaled), else automatic. nil when dims are unreadable,
-- false when the value is too large for the unit it would be shown in.
-- Auto-scaling also gives the value it formatted and its text (ladder_pick).
-- A unit alone (no "per") is its SINGLE expression, which build would make
-- again.
local function display_expr(q, lang, sp)
  local ex = q[QU] and parse_unit(q[QU])
  if ex and same_dims(ex.d, q[QD]) then
    local kind = #ex.num == 1 and KINDS[ex.num[1].kind]
    if q[QPIN] or not (kind and kind.decimal) then return ex end
    local nden = #ex.den
    local x = q[QV] / (nden == 0 and 1 or build({}, ex.den).f)
    if not finite(x) then return false end
    local u, v, text = ladder_pick(kind.ladder, x, lang, sp)
    if nden == 0 then return SINGLE[u.name], v, text end
    return build({ u }, ex.den), v, text
  end
  local knum, kden = decompose(q[QD])
  if not knum then return nil end
  local den, num = {}, {}
  local nden = #kden
  for i = 1, nden do den[i] = UNITS[KINDS[kden[i]].per] end
  local perf = nden == 0 and 1 or build({}, den).f   -- 1 / (size of one den unit)
  if #knum == 1 then
    local x = q[QV] / perf
    if not finite(x) then return false end
    local u, v, text = ladder_pick(KINDS[knum[1]].ladder, x, lang, sp)
    if nden == 0 then return SINGLE[u.name], v, text end
    num[1] = u
    return build(num, den), v, text
  end
  for i = 1, #knum do num[i] = UNITS[KINDS[knum[i]].per] end
  return build(num, den)
end
for name in pairs(UNITS) do SINGLE[name] = parse_unit(name) end

-- An ASCII letter (as %a in the C locale), by its byte.
local function letter(b) return (b >= 65 and b <= 90) or (b >= 97 and b <= 122) end

-- Join zh pieces; a space goes between a Latin word and its neighbour
-- ("2 GW", "1.2萬 MW", "每個 GPU 700 W") but not between digits and CJK.
local function zh_join(a, b)
  if a == "" or b == "" then return a .. b end
  if letter(sbyte(a, -1)) or letter(sbyte(b, 1)) then return a .. " " .. b end
  return a .. b
end

-- v, vtext: a value display_expr formatted on the way, and its text: the
-- same float gives the same text.
local function render(q, ex, lang, sp, v, vtext)
  local x = q[QV] / ex.f
  if not finite(x) then return nil end
  local text = x == v and vtext or numfmt.format(x, lang, sp)
  local plural = text ~= "1" and text ~= "-1"
  local n1 = ex.num[1]
  local nnum, nden = #ex.num, #ex.den
  if lang == "en" then
    if nnum == 1 and n1.kind == "money" then
      text = sbyte(text, 1) == 45 and "-$" .. ssub(text, 2) or "$" .. text   -- 45: "-"
    elseif nnum == 1 then
      text = text .. " " .. (plural and n1.en_pl or n1.en)
    elseif nnum > 0 then
      local names = {}
      for i = 1, nnum do
        local u = ex.num[i]
        names[i] = (i == nnum and plural) and u.en_pl or u.en
      end
      text = text .. " " .. table.concat(names, "-")
    end
    if nden == 1 then
      text = text .. " per " .. ex.den[1].en
    elseif nden > 0 then
      local names = {}
      for i = 1, nden do names[i] = ex.den[i].en end
      text = text .. " per " .. table.concat(names, "-")
    end
    return text
  end
  for i = 1, nnum do local u = ex.num[i]; text = zh_join(text, nnum == 1 and u.zh or u.zh_noun) end
  local per = ""
  for i = 1, nden do per = zh_join(per, zh_join("每", ex.den[i].zh)) end
  return zh_join(per, text)
end

-- -> the parsed spec, nil, and whether x is a quantity; or nil, message.
local function validate(x, lang, spec)
  local q = is_q(x)
  local sp, err = numfmt.check(q and x[QV] or x, lang, spec)
  if not sp then return nil, err end
  if q and sp.suffix then
    return nil, "format '" .. sp.src .. "' needs a plain number, got " .. describe(x)
  end
  return sp, nil, q
end

-- units.try_format(x, lang [, spec]) -> the text of x, and the unit name
-- and value in that unit display_unit gives for the same lang and spec (all
-- in one pass); or nil and the reason when x cannot be shown (a bad spec or
-- language, NaN, infinity, a value too large for its unit). It raises no
-- error of its own, so a caller's failure is never mistaken for the value's.
function M.try_format(x, lang, spec)
  lang = lang and numfmt.family(lang)
  local sp, err, q = validate(x, lang, spec)
  if not sp then return nil, err end
  if not q then return numfmt.format(x, lang, sp), "", x end
  local ex, v, vtext = display_expr(x, lang, sp)
  if ex == nil then                           -- unreadable dims: base units
    local dims = dims_string(x[QD])
    return numfmt.format(x[QV], lang, sp) .. " " .. dims, dims, x[QV]
  end
  local text = ex and render(x, ex, lang, sp, v, vtext)
  if not text then return nil, too_large(x) end
  return text, ex.name, x[QV] / ex.f
end

-- units.format(x, lang, spec): "$300,000", "40萬顆晶片", "每個 GPU 700 W".
function M.format(x, lang, spec)
  local text, err = M.try_format(x, lang, spec)
  if not text then error(err, 2) end
  return text
end

-- units.format_unit(x, lang [, spec]) -> format's text, and the unit name
-- and value display_unit gives for the same lang and spec: both in one pass.
function M.format_unit(x, lang, spec)
  local text, un, v = M.try_format(x, lang, spec)
  if not text then error(un, 2) end
  return text, un, v
end

-- units.display_unit(q [, lang, spec]) -> unit name, value in that unit:
-- what format would use, so a table column can share one unit.
function M.display_unit(q, lang, spec)
  lang = lang and numfmt.family(lang)
  local sp, err = validate(q, lang or "en", spec)
  if not sp then error(err, 2) end
  if not is_q(q) then return "", q end
  local ex = display_expr(q, lang or "en", sp)
  if ex == false then error(too_large(q), 2) end
  if not ex then return dims_string(q[QD]), q[QV] end
  return ex.name, q[QV] / ex.f
end

-- units.unit_label(q, lang [, unit]): unit text alone for table headers.
function M.unit_label(q, lang, unit)
  lang = lang and numfmt.family(lang)
  if lang ~= "zh" and lang ~= "en" then error("unknown language '" .. tostring(lang) .. "'", 2) end
  if type(q) == "number" and unit == nil then return "" end
  local ex, err
  if unit ~= nil then
    ex, err = unit_arg(unit)
    if not ex then error(err, 2) end
  elseif is_q(q) then
    ex = display_expr(q, lang, numfmt.parse_spec(nil))
    if not ex then return dims_string(q[QD]) end
  else
    error("unit_label: expected a quantity, got a " .. type(q), 2)
  end
  local function single(u)
    if lang == "en" then return u.kind == "money" and "USD" or u.en_pl end
    return u.zh
  end
  if #ex.den == 0 and #ex.num == 1 then return single(ex.num[1]) end
  local num, den = {}, {}
  for i, u in ipairs(ex.num) do
    num[i] = lang == "en" and (u.kind == "money" and "USD" or (#ex.num == 1 and u.en_pl or u.en))
      or u.zh_noun
  end
  for i, u in ipairs(ex.den) do den[i] = lang == "en" and u.en or u.zh_noun end
  local n = lang == "en" and table.concat(num, "-") or table.concat(num, "·")
  if #num == 0 then n = "1" end
  return n .. (#den > 0 and "/" .. table.concat(den, lang == "en" and "-" or "·") or "")
end

-- tostring(q) never fails (it is no published text): what format gives,
-- else the value in base units.
Q.__tostring = function(q)
  return M.try_format(q, "en") or (tostring(q[QV]) .. " " .. dims_string(q[QD]))
end

return M
