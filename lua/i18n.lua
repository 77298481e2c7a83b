-- i18n — dates and interface strings per language.

local M = {}

-- Called as functions, never as methods: in the template state the string
-- metatable offers templates checked wrappers (generator/template.c); these
-- patterns are bounded and keep the real functions, taken at load.
local smatch, sgmatch, sfind, ssub = string.match, string.gmatch, string.find, string.sub
local concat = table.concat

-- A "{1}年{2}月" format as its pieces: literal text, and the numbers of
-- the values that go between (what gsub(fmt, "{(%d)}", ...) would put
-- there). Made once per format: templates format a date for every entry of
-- every listing, and gsub with a function, each time, was most of that.
local function pieces_of(fmt)
  local out, from = {}, 1
  while true do
    local s, e, d = sfind(fmt, "{(%d)}", from)
    if not s then break end
    if s > from then out[#out + 1] = ssub(fmt, from, s - 1) end
    out[#out + 1] = tonumber(d)
    from = e + 1
  end
  if from <= #fmt then out[#out + 1] = ssub(fmt, from) end
  return out
end

local function fill(pieces, v, absent)
  local parts = {}
  for i = 1, #pieces do
    local p = pieces[i]
    if type(p) == "number" then
      local x = v[p]
      if x == nil then x = absent end
      parts[i] = tostring(x)
    else
      parts[i] = p
    end
  end
  return concat(parts)
end

-- format_date(iso, code) for the interface words of every language
-- (tables[code] = { key = text }): `date_format` with {1} year, {2} month,
-- {3} day and {4} the month's name from `month_names` (space-separated).
-- A language without a date_format shows the ISO date.
-- iso: "2024-12-13T00:00:00Z" (or any string starting with YYYY-MM-DD).
function M.date_formatter(tables)
  local formats, month_lists = {}, {} -- by the text they are made of
  return function(iso, lang)
    local y, m, d = smatch(tostring(iso), "^(%d%d%d%d)-(%d%d)-(%d%d)")
    if not y then error("not a date: '" .. tostring(iso) .. "'", 2) end
    local s = tables[lang] or {}
    local fmt = s.date_format
    if not fmt then return y .. "-" .. m .. "-" .. d end
    local pieces = formats[fmt]
    if not pieces then pieces = pieces_of(fmt); formats[fmt] = pieces end
    local list = s.month_names or ""
    local names = month_lists[list]
    if not names then
      names = {}
      for w in sgmatch(list, "%S+") do names[#names + 1] = w end
      month_lists[list] = names
    end
    return fill(pieces, { tonumber(y), tonumber(m), tonumber(d), names[tonumber(m)] or m }, "")
  end
end

-- Returns t(key) for one language's string table: unknown keys are errors,
-- so a typo in a template fails the build instead of printing nothing.
function M.translator(strings, code)
  local formats = {}
  return function(key, ...)
    local s = strings[key]
    if s == nil then error("no '" .. code .. "' text for '" .. tostring(key) .. "'", 2) end
    if select("#", ...) > 0 then
      local pieces = formats[s]
      if not pieces then pieces = pieces_of(s); formats[s] = pieces end
      s = fill(pieces, { ... }, nil)
    end
    return s
  end
end

return M
