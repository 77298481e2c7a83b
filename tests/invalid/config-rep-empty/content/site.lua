return {
  languages = (""):rep(1 << 53),
}
