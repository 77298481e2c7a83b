-- A site with a Simplified-Chinese edition made at build time from the
-- Traditional files (docs/zh-hans.md).
return {
  base_url = "https://briefs.test/",
  default_language = "zh",
  languages = {
    { code = "zh", hreflang = "zh-Hant", name = "繁體", title = "測試簡報", description = "記憶體與伺服器的簡報。" },
    {
      code = "zh-hans", hreflang = "zh-Hans", name = "简体", convert = "zh",
      phrases = { ["簡報"] = "简报", ["推論"] = "推理" },
    },
    { code = "en", hreflang = "en", title = "Test Briefs", description = "Briefs on memory and servers." },
  },
  category_map = { ["半導體"] = "Semiconductor" },
}
