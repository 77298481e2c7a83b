-- The Chinese interface strings use full-width punctuation: an ASCII ':',
-- '(', ')' or ',' in a string that holds Chinese is a mistake unless it
-- stands between two ASCII letters or digits ("1,000", "a:b").
local H = dofile("tests/lua/harness.lua")

local function is_ascii_word(c) return c and c < 128 and string.char(c):match("[%w]") ~= nil end

-- The ASCII punctuation of s that stands in Chinese text, as "'c' in …".
local function mistakes(s)
  local cps = {}
  for _, c in utf8.codes(s) do cps[#cps + 1] = c end
  local cjk = false
  for _, c in ipairs(cps) do if c >= 0x2E80 then cjk = true end end
  if not cjk then return {} end
  local out = {}
  for i, c in ipairs(cps) do
    if c < 128 and string.char(c):match("[:(),]") and not (is_ascii_word(cps[i - 1]) and is_ascii_word(cps[i + 1])) then
      out[#out + 1] = string.format("'%s' at %d", string.char(c), i)
    end
  end
  return out
end

H.check("the check finds an ASCII colon after Chinese", table.concat(mistakes("資料來源: x"), " "), "':' at 5")
H.check("the check finds half-width parentheses around a count", table.concat(mistakes("共({1})篇"), " "), "'(' at 2 ')' at 6")
H.check("the check leaves digits' commas alone", table.concat(mistakes("1,000 篇"), " "), "")

for _, file in ipairs({ "templates/i18n/zh.lua" }) do
  local strings = dofile(file)
  local keys = {}
  for k in pairs(strings) do keys[#keys + 1] = k end
  table.sort(keys)
  local bad = {}
  for _, k in ipairs(keys) do
    local m = mistakes(strings[k])
    if #m > 0 then bad[#bad + 1] = k .. ": " .. table.concat(m, ", ") end
  end
  H.check(file .. ": full-width punctuation in every string (" .. #keys .. " strings)", table.concat(bad, "; "), "")
end
H.done()
