return { languages = { { code = "en" } }, timezone = "+8" }
