return {
  languages = {
    { code = "zh", hreflang = "zh-Hant", phrases = { ["簡報"] = "简报" } },
    { code = "en" },
  },
}
