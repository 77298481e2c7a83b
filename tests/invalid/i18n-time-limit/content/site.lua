return {
  languages = { { code = "en" } },
}
