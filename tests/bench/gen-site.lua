-- gen-site.lua OUT N [SITE_LUA] — write one synthetic site of N bilingual briefs in three forms:
--
--   OUT/bg-calc/content/    briefgen: site.lua + briefs/<date>-<slug>/{zh,en}.md with calc blocks
--                           and inline `= name | spec` values
--   OUT/bg-nocalc/content/  the same briefs with every inline value typed as text and every calc
--                           block replaced by an ordinary Markdown table of the same rows
--   OUT/hugo/content/       the no-calc briefs as Hugo page bundles: briefs/<date>-<slug>/index.{zh,en}.md
--   OUT/bg-search/content/  site.lua of the calc variant with the search index on (lib.sh links
--                           the calc briefs beside it)
--
-- The no-calc and Hugo bodies are byte-identical; only the front matter differs (Hugo gets `date:`
-- and `slug:`, which briefgen reads from the folder name). Deterministic: a fixed seed, no clock.
-- Plain Lua 5.4, no modules (runs with the lua5.4 that `make deps` installs).

local out, n, site_lua = arg[1], tonumber(arg[2] or "1000"), arg[3]
assert(out and n and n >= 1, "usage: lua5.4 gen-site.lua OUT N [SITE_LUA]")
math.randomseed(20241216)
local R = math.random

local function pick(t) return t[R(#t)] end
local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end
local function mkdir(paths) assert(os.execute("mkdir -p " .. table.concat(paths, " "))) end
local function write(path, s)
  local f = assert(io.open(path, "wb")); f:write(s); f:close()
end

-- ---- vocabulary --------------------------------------------------------------------------------
-- English: domain words and glue words. No digits and no scale words (million, billion …) in prose,
-- so briefgen's "number typed next to a unit" check stays silent on the calc variant.
local EN = {}
for w in ([[
compute memory bandwidth cluster server rack accelerator silicon wafer foundry packaging yield
inference training model token context window latency throughput batch cache kernel compiler
network switch optical fabric power cooling liquid grid substation contract lease capacity
demand supply margin revenue pricing customer provider hyperscaler cloud region campus
software stack library runtime scheduler cost budget capital depreciation lifetime refresh
vendor roadmap generation node process density transistor interconnect copper fiber link
market share competition rival incumbent entrant moat advantage leverage scale economics
research lab team engineer operator fleet utilization efficiency workload traffic query user
storage flash disk controller socket core thread frequency voltage thermal envelope design
risk assumption estimate range bound floor ceiling scenario sensitivity forecast trend signal
the a an of to in on for with by from at as that this which while because although however
is are was were be been has have had will would can could should may might must does do
more less most least higher lower faster slower larger smaller cheaper dearer better worse
quickly slowly steadily sharply broadly narrowly roughly nearly almost only still already
through across within between against toward under over after before during around about
]]):gmatch("%S+") do EN[#EN + 1] = w end

-- Chinese: common characters, none of 倍 萬 億 兆 (units the prose check looks for).
local ZHC = {}
for _, c in utf8.codes([[
的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過
子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制
機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正
心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨
程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角
期根論運農指幾九區強放決西被幹做必戰先回則任取據處府研質晶片算伺服器記憶頻寬推論訓練模型網路供
電冷卻資料中心成本價格市場客戶廠商雲端規模效率效能功耗封裝製程節點競爭優勢護城河預估假設範圍情境
]]) do
  local ch = utf8.char(c)
  if not ch:match("%s") then ZHC[#ZHC + 1] = ch end
end
local ZH_TERMS = { "NVIDIA", "GPU", "HBM", "TPU", "CUDA", "AMD", "Intel", "TSMC", "AI", "LLM", "API", "CPU" }

local function en_words(k)
  local t = {}
  for i = 1, k do t[i] = pick(EN) end
  return t
end
local function en_sentence(lo, hi)
  local t = en_words(R(lo, hi))
  t[1] = t[1]:sub(1, 1):upper() .. t[1]:sub(2)
  if #t > 8 then t[R(3, #t - 3)] = t[R(3, #t - 3)] .. "," end
  return table.concat(t, " ") .. "."
end
local function zh_word()
  local k = R(1, 3)
  local t = {}
  for i = 1, k do t[i] = pick(ZHC) end
  return table.concat(t)
end
local function zh_phrase(chars) -- about `chars` characters
  local t, c = {}, 0
  while c < chars do
    if R(12) == 1 then
      local w = pick(ZH_TERMS)
      t[#t + 1] = " " .. w .. " "
      c = c + 2
    else
      local w = zh_word()
      t[#t + 1] = w
      c = c + utf8.len(w)
    end
  end
  return (table.concat(t):gsub("  +", " "):gsub("^ ", ""):gsub(" $", ""))
end
local function zh_sentence(lo, hi)
  local parts = {}
  for i = 1, R(2, 3) do parts[i] = zh_phrase(R(lo, hi) // 2) end
  return table.concat(parts, "，") .. "。"
end
local function title_case(ws)
  for i, w in ipairs(ws) do ws[i] = w:sub(1, 1):upper() .. w:sub(2) end
  return table.concat(ws, " ")
end

-- ---- taxonomy ------------------------------------------------------------------------------------
local CATS = { { "半導體", "Semiconductor" }, { "AI 經濟學", "AI Economics" },
               { "資料中心", "Data Centers" }, { "產業競爭", "Competition" } }
local TAGS = {}
do
  local seen_en, seen_zh = {}, {}
  for _, t in ipairs(ZH_TERMS) do -- shared spellings: the same term and slug in both languages
    TAGS[#TAGS + 1] = { t, t }; seen_en[t:lower()] = true; seen_zh[t] = true
  end
  while #TAGS < 160 do
    local en = en_words(2); en = en[1] .. " " .. en[2]
    local zh = pick(ZHC) .. pick(ZHC) .. pick(ZHC)
    if not seen_en[en] and not seen_zh[zh] and #en > 7 then
      seen_en[en] = true; seen_zh[zh] = true
      TAGS[#TAGS + 1] = { zh, en }
    end
  end
end

-- ---- numbers -------------------------------------------------------------------------------------
-- Rough display text for the no-calc variant (the real formatting is briefgen's; this only has to
-- look like a number of the same length).
local function sig3(x)
  if x >= 1000 then
    local s = string.format("%d", math.floor(x + 0.5))
    return (s:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", ""))
  end
  local s = string.format("%.3g", x)
  if s:find("%.") then s = s:gsub("0+$", ""):gsub("%.$", "") end
  return s
end
local function fmt_scaled(x, lang)
  if lang == "en" then
    for _, s in ipairs({ { 1e12, " trillion" }, { 1e9, " billion" }, { 1e6, " million" } }) do
      if x >= s[1] then return sig3(x / s[1]) .. s[2] end
    end
    return sig3(x)
  end
  for _, s in ipairs({ { 1e12, "兆" }, { 1e8, "億" }, { 1e4, "萬" } }) do
    if x >= s[1] then return sig3(x / s[1]) .. s[2] end
  end
  return sig3(x)
end
local function lit(v, kind, lang)
  if kind == "pct" then return sig3(v * 100) .. "%" end
  if kind == "x" then return sig3(v) .. (lang == "en" and "×" or "倍") end
  if kind == "int" then return string.format("%d", math.floor(v + 0.5)) end
  if kind == "usd" then return lang == "en" and "$" .. fmt_scaled(v, "en") or fmt_scaled(v, "zh") .. "美元" end
  if kind == "gpu" then return lang == "en" and fmt_scaled(v, "en") .. " GPUs" or fmt_scaled(v, "zh") .. " 個 GPU" end
  if kind == "w" then return sig3(v) .. " W" end
  if kind == "mw" then return sig3(v / 1e6) .. " MW" end
  if kind == "gwh" then return sig3(v / 1e9) .. " GWh" end
  return sig3(v)
end

-- One model per brief: five inputs, five derived values. `spec` is the inline format; `kind` the
-- literal's shape in the no-calc variant.
local function model()
  local gpus, watts, price = R(2, 90) * 1000, R(4, 12) * 100, R(15, 45) * 1000
  local util, years = R(30, 90) / 100, R(3, 6)
  local power = gpus * watts
  local rows = {
    { "cluster_gpus", gpus .. " * GPU", gpus, "", "gpu", "叢集的 GPU 數（假設）", "GPUs in the cluster (assumption)" },
    { "gpu_power", watts .. " * W", watts, "", "w", "每顆 GPU 的平均功耗（假設）", "average draw per GPU (assumption)" },
    { "gpu_price", price .. " * USD", price, "", "usd", "每顆 GPU 的價格（來源：報告）", "price per GPU (source: report)" },
    { "utilization", math.floor(util * 100 + 0.5) .. " * percent", util, "pct", "pct", "平均利用率（假設）", "average utilization (assumption)" },
    { "years", tostring(years), years, "int", "int", "折舊年數（假設）", "years of depreciation (assumption)" },
    { "cluster_power", "cluster_gpus / GPU * gpu_power", power, "", "mw", "叢集總功耗", "cluster power" },
    { "capex", "cluster_gpus / GPU * gpu_price", gpus * price, "", "usd", "晶片資本支出", "chip capital spending" },
    { "energy_year", "cluster_power * 8760 * hour * utilization", power * 8760 * util, "", "gwh", "每年用電量", "energy per year" },
    { "capex_per_year", "capex / years", gpus * price / years, "", "usd", "每年折舊", "depreciation per year" },
    { "growth", "(1 + utilization) ^ years", (1 + util) ^ years, "x", "x", "複合成長倍數", "compound growth multiple" },
  }
  return rows
end

local function value(row, lang, calc)
  if calc then
    return "`= " .. row[1] .. (row[4] ~= "" and " | " .. row[4] or "") .. "`"
  end
  return lit(row[3], row[5], lang)
end

local function calc_block(rows)
  local t = { "```calc" }
  for _, r in ipairs(rows) do
    t[#t + 1] = string.format("%-15s = %-45s -- %s | %s", r[1], r[2], r[6], r[7])
  end
  t[#t + 1] = "```"
  return table.concat(t, "\n")
end
local function calc_table(rows, lang)
  local head = lang == "en" and "| Name | Meaning | Formula | Value |" or "| 名稱 | 意義 | 公式 | 數值 |"
  local t = { head, "| --- | --- | --- | ---: |" }
  for _, r in ipairs(rows) do
    t[#t + 1] = string.format("| `%s` | %s | `%s` | %s |", r[1], lang == "en" and r[7] or r[6], r[2], lit(r[3], r[5], lang))
  end
  return table.concat(t, "\n")
end

-- ---- one brief -----------------------------------------------------------------------------------
local function body(lang, b, calc)
  local en = lang == "en"
  local S = en and function() return en_sentence(8, 18) end or function() return zh_sentence(12, 22) end
  local function para(k, extra)
    local t = {}
    for i = 1, k do t[i] = S() end
    if extra then local k = R(#t); t[k] = t[k] .. (en and " " or "") .. extra end
    return table.concat(t, en and " " or "")
  end
  local rows = b.rows
  local function v(name)
    for _, r in ipairs(rows) do if r[1] == name then return value(r, lang, calc) end end
    error(name)
  end
  local sp = en and " " or ""
  local o = {}
  local function add(s) o[#o + 1] = s end

  add(para(3)); add("")
  -- key numbers up front
  if en then
    add("- Cluster size: " .. v("cluster_gpus") .. " drawing " .. v("gpu_power") .. " each, " .. v("cluster_power") .. " in all.")
    add("- Chip bill: " .. v("capex") .. " at " .. v("gpu_price") .. " per GPU, or " .. v("capex_per_year") .. " a year over " .. v("years") .. " years.")
    add("- Energy at " .. v("utilization") .. " utilization: " .. v("energy_year") .. " a year.")
    add("- Compound growth over the period: " .. v("growth") .. ".")
  else
    add("- 叢集規模：" .. v("cluster_gpus") .. "，每顆功耗 " .. v("gpu_power") .. "，合計 " .. v("cluster_power") .. "。")
    add("- 晶片帳單：" .. v("capex") .. "，每顆 GPU " .. v("gpu_price") .. "，分 " .. v("years") .. " 年折舊即每年 " .. v("capex_per_year") .. "。")
    add("- 利用率 " .. v("utilization") .. " 時的年用電量：" .. v("energy_year") .. "。")
    add("- 期間內的複合成長：" .. v("growth") .. "。")
  end
  add("")
  local prev = b.prev and (en and "/en/briefs/" or "/zh/briefs/") .. b.prev .. "/" or "/" .. lang .. "/"
  for s = 1, 4 do
    add("## " .. b.heads[lang][s]); add("")
    local extra
    if s == 1 then
      extra = en and ("The cluster spends " .. v("capex") .. " on chips, see [an earlier brief](" .. prev .. ").[^1]")
                  or ("晶片支出為 " .. v("capex") .. "，參見[前一篇簡報](" .. prev .. ")。[^1]")
    elseif s == 2 then
      extra = en and ("At " .. v("utilization") .. " utilization it uses " .. v("energy_year") .. " a year, per [the operator's filing](https://example.com/filings/" .. b.slug .. ").")
                  or ("在 " .. v("utilization") .. " 的利用率下，每年用電 " .. v("energy_year") .. "，見[營運商的申報](https://example.com/filings/" .. b.slug .. ")。")
    elseif s == 3 then
      extra = en and ("Spread over " .. v("years") .. " years that is " .. v("capex_per_year") .. " a year.[^2]")
                  or ("分 " .. v("years") .. " 年攤提，每年 " .. v("capex_per_year") .. "。[^2]")
    end
    add(para(R(4, 5), extra)); add("")
    add(para(R(2, 3))); add("")
    if s == 2 then
      add("### " .. b.heads[lang][5]); add("")
      add(para(3)); add("")
      if en then add("| Year | Shipments | Average price | Note |") else add("| 年份 | 出貨量 | 平均售價 | 備註 |") end
      add("| --- | ---: | ---: | --- |")
      for y = 1, 5 do
        add(string.format("| %d | %d | %d.%d | %s |", 2019 + y, R(10, 900), R(1, 40), R(0, 9),
          en and table.concat(en_words(R(2, 4)), " ") or zh_phrase(R(3, 6))))
      end
      add("")
    elseif s == 3 then
      for k = 1, 4 do add(k .. ". " .. (en and en_sentence(6, 14) or zh_sentence(8, 16))) end
      add("")
    end
  end
  add(en and "## The calculation" or "## 計算"); add("")
  add(calc and calc_block(rows) or calc_table(rows, lang)); add("")
  add(en and "## Assumptions" or "## 假設"); add("")
  for k = 1, 3 do
    add("- **" .. (en and title_case(en_words(3)) or zh_phrase(5)) .. "**" .. sp .. (en and en_sentence(8, 16) or zh_sentence(10, 18)))
  end
  add("")
  add(en and "## Source" or "## 來源"); add("")
  add("[" .. (en and title_case(en_words(5)) or zh_phrase(10)) .. "](https://example.com/source/" .. b.slug .. ")" .. (en and ": " or "：") .. S())
  add("")
  add("[^1]: " .. S())
  add("[^2]: " .. S() .. " <https://example.com/notes/" .. b.slug .. ">")
  return table.concat(o, "\n") .. "\n"
end

local function yaml_str(s) return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"' end
local function yaml_list(t)
  local q = {}
  for i, s in ipairs(t) do q[i] = s end
  return "[" .. table.concat(q, ", ") .. "]"
end

local function front(lang, b, hugo)
  local en = lang == "en"
  local t = { "---", "title: " .. yaml_str(b.title[lang]) }
  if hugo then
    t[#t + 1] = "date: " .. b.date
    t[#t + 1] = "slug: " .. b.slug
  end
  if b.desc then t[#t + 1] = "description: " .. yaml_str(b.desc[lang]) end
  local cats, tags = {}, {}
  for _, c in ipairs(b.cats) do cats[#cats + 1] = c[en and 2 or 1] end
  for _, g in ipairs(b.tags) do tags[#tags + 1] = g[en and 2 or 1] end
  t[#t + 1] = "categories: " .. yaml_list(cats)
  t[#t + 1] = "tags: " .. yaml_list(tags)
  t[#t + 1] = "authors: [" .. (en and "briefgen Research Desk" or "briefgen 研究組") .. "]"
  t[#t + 1] = "source: https://example.com/source/" .. b.slug
  t[#t + 1] = "---"
  return table.concat(t, "\n") .. "\n\n"
end

-- ---- write ---------------------------------------------------------------------------------------
local roots = { calc = out .. "/bg-calc/content", nocalc = out .. "/bg-nocalc/content", hugo = out .. "/hugo/content" }
for _, r in pairs(roots) do mkdir({ q(r .. "/briefs") }) end
-- The site's configuration, as the real site has it, less what Hugo's side does not do: a
-- language converted from another at build time (docs/zh-hans.md) and the search index
-- (docs/search.md); the two sides must write the same pages.
local function lua_text(v, indent)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) ~= "table" then return tostring(v) end
  local pad, parts = indent .. "  ", {}
  for i = 1, #v do parts[#parts + 1] = pad .. lua_text(v[i], pad) end
  local keys = {}
  for k in pairs(v) do if type(k) == "string" then keys[#keys + 1] = k end end
  table.sort(keys)
  for _, k in ipairs(keys) do parts[#parts + 1] = pad .. string.format("[%q] = ", k) .. lua_text(v[k], pad) end
  return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
end
local site = site_lua and assert(io.open(site_lua, "rb")):read("a")
if site then
  local t = assert(load(site, "=site.lua", "t", {}))()
  local langs = {}
  for _, l in ipairs(t.languages or {}) do if not l.convert then langs[#langs + 1] = l end end
  if t.languages then t.languages = langs end
  t.search = nil
  site = "return " .. lua_text(t, "") .. "\n"
  write(roots.calc .. "/site.lua", site); write(roots.nocalc .. "/site.lua", site)
  t.search = true -- what the index adds to a build (issue 15: at most a tenth)
  mkdir({ q(out .. "/bg-search/content") })
  write(out .. "/bg-search/content/site.lua", "return " .. lua_text(t, "") .. "\n")
end

local t0 = os.time({ year = 2017, month = 1, day = 1, hour = 12 })
local briefs, prev = {}, nil
for i = 1, n do
  local date = os.date("!%Y-%m-%d", t0 + (i - 1) * 86400)
  local w = en_words(2)
  local slug = string.format("%s-%s-%04d", w[1], w[2], i)
  local b = { slug = slug, date = date, prev = prev, rows = model(), heads = { zh = {}, en = {} } }
  b.title = { en = title_case(en_words(R(8, 13))), zh = zh_phrase(R(18, 26)) }
  if i % 3 ~= 0 then -- two briefs in three carry a description; the rest get a computed summary
    b.desc = { en = en_sentence(25, 40) .. " " .. en_sentence(15, 25), zh = zh_sentence(30, 45) .. zh_sentence(20, 30) }
  end
  for s = 1, 5 do
    b.heads.en[s] = title_case(en_words(R(3, 6))) .. " " .. s
    b.heads.zh[s] = zh_phrase(R(5, 9)) .. "之" .. ({ "一", "二", "三", "四", "五" })[s]
  end
  b.cats = { CATS[R(#CATS)] }
  if R(2) == 1 then
    local c2 = CATS[R(#CATS)]
    if c2 ~= b.cats[1] then b.cats[2] = c2 end
  end
  b.tags = {}
  local seen = {}
  for _ = 1, R(3, 6) do
    local g = TAGS[R(#TAGS)]
    if not seen[g] then seen[g] = true; b.tags[#b.tags + 1] = g end
  end
  b.dir = date .. "-" .. slug
  briefs[i] = b
  prev = slug
end

-- every folder first, a few hundred to a mkdir (one process per brief is most of the run time)
for i = 1, n, 200 do
  local t = {}
  for j = i, math.min(n, i + 199) do
    for _, r in ipairs({ roots.calc, roots.nocalc, roots.hugo }) do t[#t + 1] = q(r .. "/briefs/" .. briefs[j].dir) end
  end
  mkdir(t)
end

for i, b in ipairs(briefs) do
  local dir = b.dir
  for li, lang in ipairs({ "zh", "en" }) do
    -- the same draws for both bodies, so the calc and no-calc texts differ only in the numbers
    local seed = i * 2 + li
    math.randomseed(seed)
    write(roots.calc .. "/briefs/" .. dir .. "/" .. lang .. ".md", front(lang, b, false) .. body(lang, b, true))
    math.randomseed(seed)
    local plain = body(lang, b, false)
    write(roots.nocalc .. "/briefs/" .. dir .. "/" .. lang .. ".md", front(lang, b, false) .. plain)
    write(roots.hugo .. "/briefs/" .. dir .. "/index." .. lang .. ".md", front(lang, b, true) .. plain)
  end
end
