return {
  languages = {
    { code = "zh", hreflang = "zh-Hant" },
    { code = "zh-hans", hreflang = "zh-Hans", convert = "zh", opencc = "tw2xx" },
    { code = "en" },
  },
}
