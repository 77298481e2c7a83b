return { languages = { { code = "en", hreflang = "en", title = "Briefs" } } }
