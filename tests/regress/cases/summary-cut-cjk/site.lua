return { summary_chars = 12 }
