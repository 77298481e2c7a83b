return {
  base_url = "https://example.org/",
  default_language = "zh",
  languages = {
    { code = "zh", hreflang = "zh-Hant", title = "搜尋測試", description = "索引的固定樣本" },
    { code = "en", hreflang = "en", title = "Search Fixture", description = "The index, byte for byte" },
  },
  search = true,
}
