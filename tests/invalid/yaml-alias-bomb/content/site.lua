return { languages = { { code = "en" } } }
