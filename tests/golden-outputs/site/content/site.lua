-- Fixture for tests/outputs.sh: a site under a base path, category twins,
-- pagination at two briefs per page.
return {
  base_url = "https://example.org/research/",
  default_language = "zh",
  timezone = "+08:00",
  languages = {
    { code = "zh", hreflang = "zh-Hant", title = "輸出測試", description = "輸出測試網站" },
    { code = "en", hreflang = "en", title = "Output Tests", description = "A fixture for outputs" },
  },
  authors = { "Fixture Desk" },
  page_size = 2,
  category_map = { ["半導體"] = "Semiconductor", ["資料中心"] = "Data Centers" },
}
