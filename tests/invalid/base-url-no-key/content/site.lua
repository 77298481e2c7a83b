return {
  default_language = "en",
}
