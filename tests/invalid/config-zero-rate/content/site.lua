return { languages = { { code = "en" } }, words_per_minute = 0 }
