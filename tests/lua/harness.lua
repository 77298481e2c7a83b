-- harness.lua: minimal TAP-like checks. One line per check:
--   ok - <name>            not ok - <name>: got <x>, want <y>
-- done() exits 1 if anything failed (or a name was reused), else 0.
local H, failed, seen = {}, 0, {}

local function show(x)
  if type(x) == "string" then return '"' .. x:gsub("[\n\\\"]", { ["\n"] = "\\n", ["\\"] = "\\\\", ['"'] = '\\"' }) .. '"' end
  if math.type(x) == "float" then return string.format("%.17g (float)", x) end
  return tostring(x)
end

local function report(name, ok, detail)
  if seen[name] then ok, detail = false, "duplicate test name" end
  seen[name] = true
  if ok then print("ok - " .. name)
  else failed = failed + 1; print("not ok - " .. name .. ": " .. detail) end
end

function H.check(name, got, want)
  report(name, got == want, "got " .. show(got) .. ", want " .. show(want))
end

-- fn must raise an error whose message matches the Lua pattern.
function H.raises(name, fn, pattern)
  local ok, err = pcall(fn)
  err = tostring(err)
  report(name, not ok and err:find(pattern) ~= nil,
    "got " .. (ok and "no error" or show(err)) .. ", want error matching " .. show(pattern))
end

function H.done() os.exit(failed == 0 and 0 or 1) end

return H
