local s = ("a"):rep(40)
return {
  languages = { { code = "en" } },
  base_url = "/" .. (s:match(("a*"):rep(40) .. "b") or ""),
}
