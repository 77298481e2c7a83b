return {
  languages = {
    { code = "zh", hreflang = "zh-Hant" },
    { code = "zh-hans", hreflang = "zh-Hans", convert = "zh" },
    { code = "zh-sg", hreflang = "zh-Hans-SG", convert = "zh-hans" },
    { code = "en" },
  },
}
