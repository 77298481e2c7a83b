return {
  languages = {
    { code = "zh", hreflang = "zh-Hant" },
    { code = "zh-hans", hreflang = "zh-Hans", convert = "zh-hans" },
    { code = "en" },
  },
}
