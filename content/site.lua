-- Site configuration: a data-only Lua chunk read by briefgen at build time.
return {
  base_url = "https://briefs.example.org/",
  default_language = "zh",
  languages = {
    {
      code = "zh",
      hreflang = "zh-Hant",
      title = "briefgen 算力簡報",
      description = "AI 晶片、資料中心與模型經濟學的雙語研究簡報，每個數字都由公開的輸入與公式算出。",
    },
    {
      code = "en",
      hreflang = "en",
      title = "briefgen Compute Briefs",
      description = "Bilingual research briefs on AI chips, data centers and model economics, with every number computed from stated inputs.",
    },
  },
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
