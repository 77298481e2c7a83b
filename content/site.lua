-- Site configuration: a data-only Lua chunk read by briefgen at build time.
return {
  base_url = "https://briefs.example.org/",
  default_language = "zh",
  languages = {
    {
      code = "zh",
      hreflang = "zh-Hant",
      name = "繁體",
      title = "briefgen 算力簡報",
      description = "AI 晶片、資料中心與模型經濟學的雙語研究簡報，每個數字都由公開的輸入與公式算出。",
    },
    -- The Simplified edition is made from the Traditional files at build
    -- time (OpenCC, Taiwan to mainland phrases); a brief's own zh-hans.md
    -- would win. The phrases are where OpenCC chooses wrongly for us.
    {
      code = "zh-hans",
      hreflang = "zh-Hans",
      name = "简体",
      convert = "zh",
      phrases = {
        ["簡報"] = "简报",   -- OpenCC: 演示文稿 (a slide deck)
        ["推論"] = "推理",   -- inference, as the mainland says it (OpenCC: 推论)
        ["輝達"] = "英伟达", -- NVIDIA (OpenCC: 辉达)
        ["建置"] = "构建",   -- a build of the site
        ["於"] = "于",       -- OpenCC keeps 於 (a surname too)
        ["釋出"] = "释放",   -- power freed (OpenCC: 发布, a software release)
        ["核心"] = "核心",   -- CPU cores (OpenCC: 内核, a kernel)
        ["查詢"] = "查询",   -- a query to a model (OpenCC: 查找)
        ["儲存"] = "存储",   -- storage (OpenCC: 保存)
        ["資料來源"] = "资料来源", -- a brief's source (OpenCC: 数据源, a database's)
      },
    },
    {
      code = "en",
      hreflang = "en",
      title = "briefgen Compute Briefs",
      description = "Bilingual research briefs on AI chips, data centers and model economics, with every number computed from stated inputs.",
    },
  },
  -- the in-page search of every edition (docs/search.md)
  search = true,
  authors = { "briefgen 研究組", "briefgen Research Desk" },
  -- Categories that name the same thing in both languages; the language
  -- switcher on a category page lands on its twin.
  category_map = {
    ["半導體"] = "Semiconductor",
    ["AI 經濟學"] = "AI Economics",
    ["資料中心"] = "Data Centers",
    ["產業競爭"] = "Competition",
  },
}
