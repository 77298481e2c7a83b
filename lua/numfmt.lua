-- numfmt.lua: language-aware number formatting for briefgen calc blocks.
--
-- All rounding is done on a decimal digit string, never on binary floats:
-- a float is first turned into its shortest round-trip decimal form
-- (%.14e, %.15e or %.16e, whichever reads back exactly), so 1.45 is the
-- digits "145" and rounds to 1.5, and 0.1 + 0.2 is "30000000000000004"
-- which any precision below 17 digits turns back into 0.3. Integers use
-- their exact tostring digits. Ties round half away from zero.
-- See docs/calc-units.md for the rules.

-- String functions are called as functions, never as methods: in the calc
-- sandbox the string metatable offers formulas only a safe subset (calc.lua).
local smatch, sgsub, ssub = string.match, string.gsub, string.sub

local M = {}

local concat, rep, fmt, sbyte = table.concat, string.rep, string.format, string.byte

-- A decimal is three values, neg (bool), dg ("digits") and e (exponent),
-- passed and returned as such (no table for each number shown): dg has no
-- leading or trailing zeros, and its first digit sits at 10^e. Zero is
-- false, "", 0.

local EFMT = { "%.14e", "%.15e", "%.16e" }
local tointeger = math.tointeger
local TWO53 = 9007199254740992           -- 2^53

local function to_decimal(n)
  if n == 0 then return false, "", 0 end    -- also -0.0: zero has no sign
  local neg, s = n < 0, nil
  if math.type(n) == "integer" then
    s = sgsub(tostring(n), "^%-", "")       -- exact, even for math.mininteger
    return neg, (sgsub(s, "0+$", "")), #s - 1
  end
  local a = neg and -n or n
  -- A whole float below 2^53 is its integer's digits: the shortest form
  -- that reads back (no decimal of fewer digits is that double, as doubles
  -- there are at most 1 apart), without formatting it three ways.
  local i = tointeger(a)
  if i and i < TWO53 then
    s = tostring(i)
    return neg, (sgsub(s, "0+$", "")), #s - 1
  end
  for p = 1, 3 do                         -- shortest form that reads back
    s = fmt(EFMT[p], a)
    if tonumber(s) == a then break end
  end
  local d1, ds, ex = smatch(s, "^(%d)%.(%d-)0*e([-+]%d+)$")
  return neg, d1 .. ds, tonumber(ex)
end

-- Round so that the last kept digit sits at 10^place, half away from zero.
local function round_at(neg, dg, e, place)
  local keep = e - place + 1              -- number of digits kept
  if #dg <= keep then return neg, dg, e end   -- already exact (also zero)
  if keep < 0 then return false, "", 0 end
  local head = ssub(dg, 1, keep)
  if sbyte(dg, keep + 1) >= 53 then         -- next digit >= '5': carry
    local i = #head
    while i >= 1 and sbyte(head, i) == 57 do i = i - 1 end   -- skip '9's
    if i == 0 then head, e = "1", e + 1                    -- 999 -> 1000
    else head = ssub(head, 1, i - 1) .. string.char(sbyte(head, i) + 1) end
  end
  head = sgsub(head, "0+$", "")
  if head == "" then return false, "", 0 end
  return neg, head, e
end

local function group(int)                 -- "1234567" -> "1,234,567"
  local n = #int
  if n <= 3 then return int end
  local h = (n - 1) % 3 + 1               -- digits before the first comma
  local s = ssub(int, 1, h)
  for i = h + 1, n, 3 do s = s .. "," .. ssub(int, i, i + 2) end
  return s
end

-- Digits dg shown with the leading one at 10^e, at least mindec decimals.
local function render(neg, dg, e, mindec)
  local int, frac = "0", ""
  if dg ~= "" then
    if e < 0 then frac = rep("0", -e - 1) .. dg
    elseif #dg <= e + 1 then int = dg .. rep("0", e + 1 - #dg)
    else int, frac = ssub(dg, 1, e + 1), ssub(dg, e + 2) end
  end
  if mindec > #frac then frac = frac .. rep("0", mindec - #frac) end
  local s = group(int) .. (frac ~= "" and "." .. frac or "")
  return (neg and dg ~= "") and "-" .. s or s   -- no "-0"
end

-- Scale words: {power of ten, text}. The last one absorbs anything larger.
local SCALES = {
  en = { { 0, "" }, { 6, " million" }, { 9, " billion" }, { 12, " trillion" } },
  zh = { { 0, "" }, { 4, "萬" }, { 8, "億" }, { 12, "兆" } },
}
local NOSCALE = { { 0, "" } }
local SUFFIX = { pct = { en = "%", zh = "%" }, x = { en = "×", zh = "倍" } }

local function pick(scales, e)             -- (powers ascend)
  local n = #scales
  if n == 1 or e < scales[2][1] then return scales[1] end
  for i = n, 3, -1 do
    if e >= scales[i][1] then return scales[i] end
  end
  return scales[2]
end

local function place_for(sp, e, pow)     -- e: the exponent of the digits
  if sp.kind == "sig" then return e - sp.n + 1 end
  if sp.kind == "fixed" then return pow - sp.n end   -- decimals of the mantissa
  return 0                                           -- int
end

local function bad_spec(s, why)
  return nil, "unknown format '" .. tostring(s) .. "'" .. (why and " (" .. why .. ")" or "")
end

-- Grammar (see docs): "" | "int" | "sig"N | "."N"f" | ["."N | "sig"N] ("pct" | "x")
function M.parse_spec(s)
  if s == nil or s == "" then return { kind = "sig", n = 3, src = "" } end
  if type(s) ~= "string" then return bad_spec(s, "a format must be a string") end
  if s == "int" then return { kind = "int", src = s } end
  local body, suffix = smatch(s, "^(.-)(pct)$")
  if not body then body, suffix = smatch(s, "^(.-)(x)$") end
  body = body or s
  local sp = { src = s, suffix = suffix }
  local n = smatch(body, "^sig(%d+)$")
  if n then
    sp.kind, sp.n = "sig", tonumber(n)
    if sp.n < 1 or sp.n > 15 then return bad_spec(s, "sigN takes N from 1 to 15") end
    return sp
  end
  if suffix then n = smatch(body, "^%.(%d+)$") else n = smatch(body, "^%.(%d+)f$") end
  if n then
    sp.kind, sp.n = "fixed", tonumber(n)
    if sp.n > 10 then return bad_spec(s, "at most 10 decimals") end
    return sp
  end
  if suffix and body == "" then sp.kind, sp.n = "sig", 3; return sp end
  return bad_spec(s)
end

local huge = math.huge

-- The conventions a language tag's numbers follow: "zh" for zh, zh-TW,
-- zh-Hant, zh-cn…, "en" for en, en-GB…; any other tag as given (unknown).
local known = { zh = "zh", en = "en" }
function M.family(lang)
  local f = known[lang]
  if f or type(lang) ~= "string" then return f or lang end
  local p = smatch(lang, "^(%a%a%a?)%-") or smatch(lang, "^%a%a%a?$")
  return p and known[string.lower(p)] or lang
end
local family = M.family

-- Validate arguments; returns the parsed spec or nil, message.
function M.check(n, lang, spec)
  lang = known[lang] or family(lang)
  if lang ~= "zh" and lang ~= "en" then
    return nil, "unknown language '" .. tostring(lang) .. "' (want 'zh' or 'en')"
  end
  if type(n) ~= "number" then return nil, "cannot format a " .. type(n) .. " as a number" end
  if n ~= n then return nil, "cannot format NaN (result is not a number)" end
  if n == huge or n == -huge then
    return nil, "cannot format " .. (n > 0 and "infinity" or "-infinity") .. " (division by zero?)"
  end
  if type(spec) == "table" then return spec end   -- already parsed
  return M.parse_spec(spec)
end

-- Round n for display: returns the rounded decimal (neg, dg, e), the
-- scale, and whether scientific notation is used. Rounding happens before
-- the scale is chosen, and if the carry reaches the next scale we move up
-- and re-round from the original digits (9999.6 -> 1萬, never 10000 or
-- 1000 million).
local function core(n, lang, sp)
  local neg, dg, e = to_decimal(n)
  if sp.suffix == "pct" then e = e + 2 end          -- exact *100 on digits
  local scales = (sp.kind == "int" or sp.suffix == "pct") and NOSCALE or SCALES[lang]
  local s = pick(scales, e)
  local rneg, rdg, re = round_at(neg, dg, e, place_for(sp, e, s[1]))
  if rdg ~= "" and re ~= e and pick(scales, re) ~= s then   -- same e: same scale
    s = pick(scales, re)
    rneg, rdg, re = round_at(neg, dg, e, place_for(sp, e, s[1]))
  end
  local sci = sp.kind == "sig" and rdg ~= "" and re < -6
  return rneg, rdg, re, s, sci
end

local function fail(msg) error(msg, 3) end   -- level 3: caller of the API function

local function text_of(neg, dg, e, s, sci, lang, sp)
  local text
  if sci then                                       -- tiny: 1.23e-7
    text = (neg and "-" or "") .. ssub(dg, 1, 1)
      .. (#dg > 1 and "." .. ssub(dg, 2) or "") .. "e" .. e
  else
    text = render(neg, dg, e - s[1], sp.kind == "fixed" and sp.n or 0) .. s[2]
  end
  return sp.suffix and text .. SUFFIX[sp.suffix][lang] or text
end

local function number_of(neg, dg, e, sp)
  if dg == "" then return 0 end
  e = e - (sp.suffix == "pct" and 2 or 0)
  return tonumber(concat { neg and "-" or "", ssub(dg, 1, 1), ".", ssub(dg, 2), "0e", e })
end

-- n shown as spec says: mode 0 the text, 1 the number it shows, 2 both;
-- nil and a message when it cannot be. briefgen runs the same core in C
-- (generator/numfmt.c); that core declines, returning nil, whatever it
-- does not handle, and the code above then does the work and finds the
-- error. Plain lua5.4 has no numfmt_core: everything runs here.
local native
do
  local ok, m = pcall(require, "numfmt_core")
  native = ok and type(m) == "table" and m.core or nil
end

local function show(n, lang, spec, mode)
  if native then
    local a, b = native(n, lang, spec, mode)
    if a ~= nil then return a, b end
  end
  local sp, err = M.check(n, lang, spec)
  if not sp then return nil, err end
  if native and sp ~= spec then
    local a, b = native(n, lang, sp, mode)
    if a ~= nil then return a, b end
  end
  local neg, dg, e, s, sci = core(n, lang, sp)
  if mode == 1 then return number_of(neg, dg, e, sp) end
  local text = text_of(neg, dg, e, s, sci, lang, sp)
  if mode == 0 then return text end
  return text, number_of(neg, dg, e, sp)
end

function M.format(n, lang, spec)
  local text, err = show(n, known[lang] or family(lang), spec, 0)
  if text == nil then fail(err) end
  return text
end

-- The number that format(n, lang, spec) displays, in the units of n
-- (so round(0.1234, "en", "pct") == 0.123). Used for unit auto-scaling.
function M.round(n, lang, spec)
  local r, err = show(n, known[lang] or family(lang), spec, 1)
  if r == nil then fail(err) end
  return r
end

-- format(n, lang, spec) and round(n, lang, spec) from one rounding: unit
-- auto-scaling rounds a value to choose its unit, then shows that value.
function M.format_round(n, lang, spec)
  local text, r = show(n, known[lang] or family(lang), spec, 2)
  if text == nil then fail(r) end
  return text, r
end

return M
