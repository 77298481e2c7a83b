-- Run from the repo root: lua5.4 tests/lua/test_calc.lua
package.path = "lua/?.lua;tests/lua/?.lua;" .. package.path
local H = require("harness")
-- calc.lua narrows the string metatable to what formulas may use; the
-- harness needs the whole string library back.
local string_index = getmetatable("").__index
local calc = require("calc")
getmetatable("").__index = string_index

-- identifiers: the names a formula reads, with their byte offsets
local function ids(src)
  local t = {}
  for _, id in ipairs(calc.identifiers(src)) do t[#t + 1] = id.name .. "@" .. id.offset end
  return table.concat(t, " ")
end
H.check("ids: names and offsets", ids("chips * chip_price"), "chips@1 chip_price@9")
H.check("ids: fields after . and : are not names", ids("power:to(MW) + math.pi + x . y"), "power@1 MW@10 math@16 x@26")
H.check("ids: keywords are not names", ids("a and not b or nil"), "a@1 b@11")
H.check("ids: strings are skipped", ids([[f("x y", 'z\'w') + g]]), "f@1 g@20")
H.check("ids: long strings are skipped", ids("f([==[ a ]] b ]==]) + c"), "f@1 c@23")
H.check("ids: numbers are not names", ids("1e5 + 0x1Fp2 + .5e-3 + 2E+2 + x1 + 3.0"), "x1@31")
H.check("ids: a comment ends the formula", ids("a + b -- c d"), "a@1 b@5")
H.check("ids: whitespace of any kind", ids("a\t+\nb\r\v\f+ c"), "a@1 b@5 c@11")
H.check("ids: not ASCII letters are not names", ids("é + b"), "b@6")
H.check("ids: a name right after a number", ids("2x"), "x@2")
H.check("ids: a field after a call", ids("f(a).b:c()"), "f@1 a@3")
H.check("ids: unterminated string", ids('a .. "b'), "a@1")

H.check("ids: a name after .. is not a field", ids("a .. b ... c"), "a@1 b@6 c@12")

-- scan: integer numerals become floats; `#` and bitwise operators are found
local function code(src) local _, c = calc.scan(src) return c end
local function ops(src)
  local _, _, bad = calc.scan(src)
  local t = {}
  for _, o in ipairs(bad or {}) do t[#t + 1] = o.what .. "@" .. o.offset end
  return table.concat(t, " ")
end
H.check("scan: integer numerals become floats", code("6 * 70000000000 + 0x7fffffffffffffff - 0XfF"),
  "6.0 * 70000000000.0 + 0x7fffffffffffffffp0 - 0XfFp0")
H.check("scan: floats stay as written", code("1.5 + 1e5 + 2E+2 + .5 + 0x1p4 + 0x.8 + 3. + 1e-3"),
  "1.5 + 1e5 + 2E+2 + .5 + 0x1p4 + 0x.8 + 3. + 1e-3")
H.check("scan: numbers in names, strings and comments stay", code("x1 + f('2', [[3]]) -- 4"), "x1 + f('2', [[3]]) -- 4")
H.check("scan: a malformed numeral is left for Lua to report", code("2x + 3"), "2x + 3.0")
H.check("scan: a formula without integers is the same string", code("a * b"), "a * b")
H.check("scan: integer-only operators at their offsets", ops("#s + a & b | c ~ d << e >> f"),
  "the length operator '#'@1 the bitwise operator '&'@8 the bitwise operator '|'@12 "
  .. "the bitwise operator '~'@16 the bitwise operator '<<'@20 the bitwise operator '>>'@25")
H.check("scan: ~= // and the like are not integer operators", ops("a ~= b // c <= d >= e % f"), "")
H.check("scan: operators in strings and comments are not", ops("f('#', \"a|b\") -- ~x"), "")

-- labels: `中文 | English` in the order of the languages
local function lab(label, langs)
  local t = calc.labels(label, langs)
  local out = {}
  for _, l in ipairs(langs) do out[#out + 1] = l .. "=" .. t[l] end
  return table.concat(out, ";")
end
H.check("labels: split per language", lab("晶片數 | chips", { "zh", "en" }), "zh=晶片數;en=chips")
H.check("labels: one label serves all", lab("chips", { "zh", "en" }), "zh=chips;en=chips")
H.check("labels: empty", lab("", { "zh", "en" }), "zh=;en=")
H.check("labels: a missing part takes the last", lab("a | b", { "zh", "en", "ja" }), "zh=a;en=b;ja=b")
H.check("labels: a bar without a space after it does not split", lab("a|b | c", { "zh", "en" }), "zh=a|b;en=c")

-- provenance: `| source: URL [at WHERE] ["QUOTE"]` or `| assumption`, no language's label
local function prov(label)
  local p, why = calc.provenance(label)
  if p == nil then return "none" end
  if p == false then return "error: " .. why end
  if p.assumption then return "assumption" end
  return string.format("url=%s at=%s quote=%s", p.source.url, tostring(p.source.at), tostring(p.source.quote))
end
H.check("labels: the source part is no label", lab("價格 | price | source: https://e.com/x", { "zh", "en" }),
  "zh=價格;en=price")
H.check("labels: assumption is no label", lab("價格 | price | assumption", { "zh", "en" }), "zh=價格;en=price")
H.check("provenance: a URL alone", prov("價格 | price | source: https://e.com/x"), "url=https://e.com/x at=nil quote=nil")
H.check("provenance: at and a quote", prov('a | b | source: https://e.com/v?t=1 at 41:20 "about $300k"'),
  "url=https://e.com/v?t=1 at=41:20 quote=about $300k")
H.check("provenance: a page and a Chinese quote", prov("a | b | 來源：https://e.com/r.pdf at p. 12 「約三十萬」"),
  "url=https://e.com/r.pdf at=p. 12 quote=約三十萬")
H.check("provenance: a quote without at", prov('a | b | source: /notes/ "ours"'), "url=/notes/ at=nil quote=ours")
H.check("provenance: assumption, either language", prov("a | b | 假設"), "assumption")
H.check("provenance: none in an old-style label", prov("價格（來源：節目） | price (source: podcast)"), "none")
H.check("provenance: a source without a URL", prov("a | b | source: the podcast"),
  "error: a source needs a URL first: 'source: https://… [at 41:20] [\"quote\"]'")
H.check("provenance: words after the URL that are no 'at'", prov("a | b | source: https://e.com/ minute 3"),
  "error: after the source's URL: 'at' and where (a time, a page), then a \"quote\"; got 'minute 3'")

-- units.constant and units.format_unit, which evaluate uses
do
  local units = require("units")
  local E = units.env()
  H.check("constant: a fresh table each call", rawequal(units.constant("GW"), units.constant("GW")), false)
  H.check("constant: as env holds it", units.format(units.constant("GW") * 3, "en"), units.format(E.GW * 3, "en"))
  H.check("constant: percent", units.constant("percent"), 0.01)
  H.check("constant: nil for other names", units.constant("math"), nil)
  local all = {}
  for _, v in ipairs({ 7, 0.25, 45.6e6 * E.W, 2.5e9 * E.USD, 5000 * E.USD / E.chip, 3 * E.GPU * E.hour,
    E.GW:to("MW") * 2, 1.5 * E.W * E.W, 1e-9 * E.TB }) do
    for _, l in ipairs({ "zh", "en" }) do
      for _, spec in ipairs({ false, "sig2", ".1f", "int" }) do
        local sp = spec or nil
        local ok1, text, un, val = pcall(units.format_unit, v, l, sp)
        local ok2, want = pcall(units.format, v, l, sp)
        local wun, wval = "", v
        if units.is_quantity(v) then wun, wval = units.display_unit(v, l, sp) end
        if not (ok1 == ok2 and (not ok1 or (text == want and un == wun and val == wval))) then
          all[#all + 1] = tostring(want) .. " in " .. l .. " " .. tostring(spec)
        end
      end
    end
  end
  H.check("format_unit: the text of format, the unit and value of display_unit", table.concat(all, ", "), "")
end

-- A group of checks; an error inside it is a failed check, not an abort.
local function block(name, fn)
  local ok, e = pcall(fn)
  if not ok then H.check(name .. " runs", tostring(e), "no error") end
end

-- evaluate: a reference to just a name shows the model's own text
local function ev(defs, refs)
  for _, d in ipairs(defs) do d.file, d.line, d.col, d.fcol = d.file or "x.md", d.line or 1, 1, 1 end
  for _, r in ipairs(refs) do r.file, r.line, r.col, r.spec = "x.md", 1, 1, r.spec or "" end
  return calc.evaluate(defs, refs, { "zh", "en" })
end

block("evaluate: names and expressions", function()
  local r = ev({ { name = "bill", formula = "400000 * chip * 5000 * USD / chip", label = "帳單 | bill" } },
    { { expr = "bill", lang = "en" }, { expr = "bill", lang = "zh" }, { expr = "bill", spec = "sig2", lang = "en" },
      { expr = "bill / 2", lang = "en" } })
  H.check("evaluate: no errors", #r.errors, 0)
  H.check("evaluate: model display en", r.model.bill.display.en, "$2 billion")
  H.check("evaluate: = name in en", r.refs[1].text, "$2 billion")
  H.check("evaluate: = name in zh", r.refs[2].text, "20億美元")
  H.check("evaluate: = name | spec", r.refs[3].text, "$2 billion")
  H.check("evaluate: an expression", r.refs[4].text, "$1 billion")
  H.check("evaluate: = name cites the name", r.refs[1].cited[1], "bill")
  H.check("evaluate: = name links to it", r.refs[1].name, "bill")
  H.check("evaluate: title of = name", r.refs[1].title, "bill = 400000 * chip * 5000 * USD / chip")
  H.check("evaluate: title of an expression", r.refs[4].title, "bill / 2\nbill = $2 billion")
  H.check("evaluate: labels", r.model.bill.labels.zh .. "|" .. r.model.bill.labels.en, "帳單|bill")
  H.check("evaluate: value in its display unit", r.model.bill.value, 2e9)
  H.check("evaluate: unit", r.model.bill.unit, "USD")
end)

block("evaluate: failures", function()
  local r = ev({ { name = "x", formula = "1 / 0" } }, { { expr = "x", lang = "en" }, { expr = "xy", lang = "en" } })
  H.check("evaluate: a failed value is not shown", r.refs[1].text, nil)
  H.check("evaluate: errors of both", #r.errors, 2)
  H.check("evaluate: unknown name with a hint", r.errors[2].msg, "unknown name 'xy' (did you mean 'x'?)")
end)

block("evaluate: a name cited again in a language and format", function()
  -- the second reference repeats the first one's result, and its error at its own place
  local r = ev({ { name = "p", formula = "700 * kW", label = "功率 | power" }, { name = "s", formula = "66 * percent" } },
    { { expr = "p", spec = "sig2", lang = "en" }, { expr = "p", spec = "bogus", lang = "en" },
      { expr = "s", spec = "pct", lang = "zh" }, { expr = "p", spec = "pct", lang = "en" },
      { expr = "p", spec = "sig2", lang = "en" }, { expr = "p", spec = "bogus", lang = "en" },
      { expr = "s", spec = "pct", lang = "zh" }, { expr = "p", spec = "pct", lang = "en" },
      { expr = "p", spec = "sig2", lang = "zh" } })
  local msgs = {}
  for _, e in ipairs(r.errors) do msgs[#msgs + 1] = e.msg end
  H.check("evaluate: each bad reference has its error", table.concat(msgs, "; "),
    "unknown format 'bogus'; format 'pct' needs a plain number, got kW; "
    .. "unknown format 'bogus'; format 'pct' needs a plain number, got kW")
  H.check("evaluate: again, same text", r.refs[5].text .. "|" .. r.refs[7].text, "700 kW|66%")
  H.check("evaluate: again, same title", r.refs[5].title, r.refs[1].title)
  H.check("evaluate: again, not shown when the first was not", tostring(r.refs[6].text) .. tostring(r.refs[8].text),
    "nilnil")
  H.check("evaluate: again, its own list of names cited", r.refs[5].cited ~= r.refs[1].cited and r.refs[5].cited[1], "p")
  H.check("evaluate: another language is formatted for it", r.refs[9].text, "700 kW")
  H.check("evaluate: provenance of a repeated reference", r.refs[5].formula .. "|" .. #r.refs[5].inputs, "700 * kW|0")
end)

block("evaluate: unknown names and cycles", function()
  local r = ev({ { name = "a", formula = "bb * 2" }, { name = "b", formula = "a + c" }, { name = "c", formula = "b" } },
    { { expr = "b", lang = "en" } })
  local msgs = {}
  for _, e in ipairs(r.errors) do msgs[#msgs + 1] = e.msg end
  H.check("evaluate: an unknown name in a formula, and a cycle", table.concat(msgs, "; "),
    "unknown name 'bb' (did you mean 'b'?); cycle: b (x.md:1:1) -> c (x.md:1:1) -> b")
  H.check("evaluate: nothing blocked is shown", r.refs[1].text, nil)
end)

block("evaluate: units cannot change", function() -- neither by a formula nor by a definition
  local r1 = ev({ { name = "h", formula = "(function() chip.v = 7 return 1 end)()" }, { name = "c", formula = "h * chip" },
    { name = "USD", formula = "5" }, { name = "d", formula = "3 * USD" } }, {})
  local msgs = {}
  for _, x in ipairs(r1.errors) do msgs[#msgs + 1] = x.msg end
  H.check("evaluate: a unit is neither set nor redefined", table.concat(msgs, "; "),
    "'USD' is a unit; name the value 'usd_cost' or the like; cannot set field 'v' of chip: quantities cannot be changed")
  H.check("evaluate: a formula reading a unit a definition tried to take gets the unit", r1.model.d.display.en, "$3")
  local r2 = ev({ { name = "c", formula = "2 * chip" } }, {})
  H.check("evaluate: the next evaluation sees the units as they are", r2.model.c.display.en, "2 chips")
end)
-- Numbers never wrap: every value a formula can make is a float
block("evaluate: no integer wraps around", function()
  local r = ev({ { name = "big", formula = "6 * 70000000000 * 15000000000000" },
    { name = "fl", formula = "floor(5e18) * 2 + math.floor(5e18) * 2 + ceil(5e18) * 2 + abs(5e18) * 2" },
    { name = "mx", formula = "math.maxinteger * 2 + max(5e18, 1) * 2" },
    { name = "tn", formula = "tonumber('9223372036854775807') * 2 + tonumber(' 0xffffffffffffffff ')" },
    { name = "ln", formula = "string.len('ab') * ('abc'):len()" },
    { name = "un", formula = "hour * hour * hour * hour * hour * hour / hour ^ 6" },
    { name = "dv", formula = "9223372036854775807 // 1 * 2 + 7 % 2" },
    { name = "dims", formula = "(W ^ 64) / W ^ 63" } }, {})
  H.check("no wrap: no errors", #r.errors, 0)
  H.check("no wrap: a product past 2^63", r.model.big.display.en, "6,300,000,000,000 trillion")
  H.check("no wrap: floor, ceil, abs give floats", r.model.fl.display.en, "40,000,000 trillion")
  H.check("no wrap: math.maxinteger is a float", r.model.mx.display.en, "28,400,000 trillion")
  H.check("no wrap: tonumber reads numerals as floats", r.model.tn.display.en, "36,900,000 trillion")
  H.check("no wrap: string lengths are floats", r.model.ln.value, 6.0)
  H.check("no wrap: unit factors are floats", r.model.un.value, 1.0)
  H.check("no wrap: // and % of floats", r.model.dv.display.en, "18,400,000 trillion")
  H.check("no wrap: dims up to the 64th power", r.model.dims.display.en, "1 W")
  local e = ev({ { name = "a", formula = "#'abc' * 2" }, { name = "b", formula = "'2' * 3" },
    { name = "c", formula = "W ^ 65" }, { name = "d", formula = "tonumber('ff', 16)" } }, {})
  local msgs = {}
  for _, x in ipairs(e.errors) do msgs[#msgs + 1] = x.col .. ": " .. x.msg end
  H.check("no wrap: what would make integers is an error", table.concat(msgs, "\n"),
    "1: the length operator '#' is not allowed: calc numbers are not integers\n"
    .. "0: attempt to perform arithmetic on a string value (constant '2')\n"
    .. "0: cannot raise W to the power 65.0 (dimension exponents must stay within 64)\n"
    .. "0: tonumber takes no base in a formula")
  local syn = ev({ { name = "a", formula = "2 3" } }, {})
  H.check("no wrap: a syntax error quotes the numeral as written", syn.errors[1].msg, "<eof> expected near '3'")
end)

-- evaluate reads no global that is not there and writes none: a state
-- serves many briefs, and a stray global would outlive its brief
block("evaluate: globals", function()
  local strict = { __index = function(_, k) error("read of undefined global '" .. tostring(k) .. "'", 2) end,
    __newindex = function(_, k) error("write of global '" .. tostring(k) .. "'", 2) end }
  setmetatable(_G, strict)
  local ok, e = pcall(ev, { { name = "a", formula = "bb * 2" }, { name = "x", formula = "2 * GW" },
    { name = "y", formula = "x:to(MW) / 3" }, { name = "c", formula = "c" } },
    { { expr = "x", lang = "en" }, { expr = "y | sig2", lang = "zh" }, { expr = "x * 2", lang = "en" }, { expr = "zz", lang = "en" } })
  setmetatable(_G, nil)
  H.check("evaluate: no stray globals", ok and "none" or tostring(e), "none")
end)
H.done()
