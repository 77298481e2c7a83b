return {
  base_url = "https://example.org/briefs/",
  default_language = "zh",
  languages = {
    { code = "zh", hreflang = "zh-Hant", title = "測試簡報", description = "測試用網站" },
    { code = "en", hreflang = "en", title = "Test Briefs", description = "A fixture site" },
  },
  authors = { "Fixture Desk" },
  page_size = 2,
}
