-- a typo for the address
return {
  default_language = "en",
  base_url = "briefs.example.org",
}
