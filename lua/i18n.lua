-- i18n — dates and interface strings per language.

local M = {}

-- Called as functions, never as methods: in the template state the string
-- metatable offers templates checked wrappers (generator/template.c); these
-- patterns are bounded and keep the real functions, taken at load.
local smatch, sgmatch, sgsub = string.match, string.gmatch, string.gsub

-- format_date(iso, code) for the interface words of every language
-- (tables[code] = { key = text }): `date_format` with {1} year, {2} month,
-- {3} day and {4} the month's name from `month_names` (space-separated).
-- A language without a date_format shows the ISO date.
-- iso: "2024-12-13T00:00:00Z" (or any string starting with YYYY-MM-DD).
function M.date_formatter(tables)
  return function(iso, lang)
    local y, m, d = smatch(tostring(iso), "^(%d%d%d%d)-(%d%d)-(%d%d)")
    if not y then error("not a date: '" .. tostring(iso) .. "'", 2) end
    local s = tables[lang] or {}
    local fmt = s.date_format
    if not fmt then return y .. "-" .. m .. "-" .. d end
    local names = {}
    for w in sgmatch(s.month_names or "", "%S+") do names[#names + 1] = w end
    local v = { tonumber(y), tonumber(m), tonumber(d), names[tonumber(m)] or m }
    return (sgsub(fmt, "{(%d)}", function(i) return tostring(v[tonumber(i)] or "") end))
  end
end

-- Returns t(key) for one language's string table: unknown keys are errors,
-- so a typo in a template fails the build instead of printing nothing.
function M.translator(strings, code)
  return function(key, ...)
    local s = strings[key]
    if s == nil then error("no '" .. code .. "' text for '" .. tostring(key) .. "'", 2) end
    if select("#", ...) > 0 then
      local args = { ... }
      s = sgsub(s, "{(%d)}", function(i) return tostring(args[tonumber(i)]) end)
    end
    return s
  end
end

return M
