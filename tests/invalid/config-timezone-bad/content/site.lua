-- timezone = "UTC" would be the default
return {
  languages = { { code = "en" } },
  description = "timezone = here is text",
  --[[ timezone = "+08:00"
  ]] timezone   = "Asia/Taipeh",
}
