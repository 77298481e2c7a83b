return { languages = { { code = "en" } }, default_language = "fr" }
