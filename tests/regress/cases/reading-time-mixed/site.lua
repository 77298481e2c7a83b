return { cjk_chars_per_minute = 10, words_per_minute = 4 }
