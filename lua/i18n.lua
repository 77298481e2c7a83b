-- i18n — dates and interface strings per language.

local M = {}

local months_en = { "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December" }

-- iso: "2024-12-13T00:00:00Z" (or any string starting with YYYY-MM-DD).
function M.format_date(iso, lang)
  local y, m, d = tostring(iso):match("^(%d%d%d%d)-(%d%d)-(%d%d)")
  if not y then error("not a date: '" .. tostring(iso) .. "'", 2) end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if lang == "zh" or lang == "ja" then
    return string.format("%d年%d月%d日", y, m, d)
  end
  return string.format("%s %d, %d", months_en[m], d, y)
end

-- Returns t(key) for one language's string table: unknown keys are errors,
-- so a typo in a template fails the build instead of printing nothing.
function M.translator(strings, code)
  return function(key, ...)
    local s = strings[key]
    if s == nil then error("no '" .. code .. "' text for '" .. tostring(key) .. "'", 2) end
    if select("#", ...) > 0 then
      local args = { ... }
      s = s:gsub("{(%d)}", function(i) return tostring(args[tonumber(i)]) end)
    end
    return s
  end
end

return M
