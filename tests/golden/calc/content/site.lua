return { base_url = "https://example.org/", authors = { "Calc Desk" } }
