return { summary_words = 6 }
