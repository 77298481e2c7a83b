return { base_url = "https://t.test/", default_language = "zh",
  languages = { { code = "zh", hreflang = "zh-Hant", title = "測試", description = "測試站" },
                { code = "en", hreflang = "en", title = "Test", description = "Test site" } } }
