return { base_url = "https://example.org/", authors = { "Chart Desk" } }
