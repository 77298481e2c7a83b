-- The regress theme prints no interface strings.
return {}
