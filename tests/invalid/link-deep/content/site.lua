return {
  base_url = "https://example.org/",
  languages = { { code = "en", hreflang = "en", title = "Briefs" } },
  default_language = "en",
}
