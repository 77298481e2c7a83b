return {
  base_url = "https://example.org/research/",
  languages = { { code = "en", hreflang = "en", title = "Briefs" } },
  default_language = "en",
}
