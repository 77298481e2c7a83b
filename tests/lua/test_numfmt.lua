-- Run from the repo root: lua5.4 tests/lua/test_numfmt.lua
package.path = "lua/?.lua;tests/lua/?.lua;" .. package.path
local H = require("harness")
local numfmt = require("numfmt")

-- { value, spec, English, Chinese, note }: each row is one check per language.
local rows = {
  -- zero, sign, integer vs float subtype
  { 0, nil, "0", "0" },
  { -0.0, nil, "0", "0", "negative zero" },
  { 3, nil, "3", "3", "integer subtype" },
  { 3.0, nil, "3", "3", "float subtype" },
  { 256, nil, "256", "256" },
  { 1000, nil, "1,000", "1,000" },
  { 1234, nil, "1,230", "1,230", "3 sig figs" },
  { 9999, "sig4", "9,999", "9,999" },
  { 10000, nil, "10,000", "1萬", "zh myriad starts" },
  { 12500, nil, "12,500", "1.25萬" },
  { 123456, nil, "123,000", "12.3萬" },
  { 999000, nil, "999,000", "99.9萬" },
  { 1e6, nil, "1 million", "100萬", "en million starts" },
  { 1.4e6, nil, "1.4 million", "140萬" },
  { 3.5e7, nil, "35 million", "3,500萬", "zh mantissa grouped" },
  { 1e8, nil, "100 million", "1億" },
  { 1e10, nil, "10 billion", "100億" },
  { 1.2e12, nil, "1.2 trillion", "1.2兆" },
  { 1e15, nil, "1,000 trillion", "1,000兆", "beyond trillion" },
  { 1e16, nil, "10,000 trillion", "10,000兆", "no 京" },
  { 1.5e18, nil, "1,500,000 trillion", "1,500,000兆", "huge" },
  { math.mininteger, nil, "-9,220,000 trillion", "-9,220,000兆", "mininteger" },
  -- rounding first, then the scale (never 10000萬 or 1000 million)
  { 9999.6, nil, "10,000", "1萬", "boundary 1e4" },
  { 99999.5, nil, "100,000", "10萬", "boundary 1e5" },
  { 999999.5, nil, "1 million", "100萬", "boundary 1e6" },
  { 9.9996e7, nil, "100 million", "1億", "boundary 1e8" },
  { 1e8 - 1, nil, "100 million", "1億", "1e8-1" },
  { 99995000, "sig4", "100 million", "1億", "sig4 boundary 1e8" },
  { 999500000, nil, "1 billion", "10億", "boundary 1e9 half up" },
  { 999499999, nil, "999 million", "9.99億", "boundary 1e9 below half" },
  { 9.9995e11, nil, "1 trillion", "1兆", "boundary 1e12" },
  { 999999.96, ".1f", "1.0 million", "100.0萬", "fixed carry to next scale" },
  -- negatives
  { -5000, nil, "-5,000", "-5,000" },
  { -1.4e6, nil, "-1.4 million", "-140萬" },
  { -0.001, ".1f", "0.0", "0.0", "negative rounding to zero has no sign" },
  -- small values and scientific notation below 1e-6
  { 0.00123, nil, "0.00123", "0.00123" },
  { 0.000001, nil, "0.000001", "0.000001" },
  { 9.996e-7, nil, "0.000001", "0.000001", "rounds up to 1e-6" },
  { 1.234e-7, nil, "1.23e-7", "1.23e-7", "sci below 1e-6" },
  { -2.5e-9, nil, "-2.5e-9", "-2.5e-9" },
  { 1e-9, ".2f", "0.00", "0.00", "fixed never sci" },
  -- float artifacts: shortest decimal first, then round half away from zero
  { 0.1 + 0.2, nil, "0.3", "0.3", "0.1+0.2" },
  { 0.1 + 0.2, "sig15", "0.3", "0.3", "0.1+0.2 sig15" },
  { 1.45, ".1f", "1.5", "1.5", "1.45 is half" },
  { 2.675, ".2f", "2.68", "2.68" },
  { 1.005, ".2f", "1.01", "1.01" },
  { 0.125, ".2f", "0.13", "0.13" },
  { -0.125, ".2f", "-0.13", "-0.13", "half away from zero negative" },
  -- sigN: trailing zeros dropped
  { 2, "sig4", "2", "2", "sig drops zeros" },
  { 0.0456, "sig1", "0.05", "0.05" },
  { 9.96, "sig2", "10", "10" },
  { 1234.5, "sig5", "1,234.5", "1,234.5" },
  { 1234567.891, "sig7", "1.234568 million", "123.4568萬" },
  -- .Nf: fixed decimals of the (scaled) mantissa, zeros kept
  { 2, ".1f", "2.0", "2.0", "fixed keeps zeros" },
  { 0.1, ".3f", "0.100", "0.100" },
  { 2.5, ".0f", "3", "3" },
  { 12345.678, ".2f", "12,345.68", "1.23萬", "fixed on mantissa" },
  { 1.45e6, ".1f", "1.5 million", "145.0萬" },
  { 3e9, ".2f", "3.00 billion", "30.00億" },
  -- int: exact integer digits, no scale words
  { 2.5, "int", "3", "3" },
  { -2.5, "int", "-3", "-3" },
  { -0.4, "int", "0", "0" },
  { 1234567, "int", "1,234,567", "1,234,567" },
  { math.maxinteger, "int", "9,223,372,036,854,775,807", "9,223,372,036,854,775,807" },
  -- pct: value*100 on the digits, no scale words
  { 0.7, "pct", "70%", "70%" },
  { 0.123456, "pct", "12.3%", "12.3%" },
  { 0.07, "pct", "7%", "7%", "no 7.000000000000001" },
  { -0.05, "pct", "-5%", "-5%" },
  { 12.5, "pct", "1,250%", "1,250%" },
  { 0, "pct", "0%", "0%" },
  { 0.123456, ".1pct", "12.3%", "12.3%" },
  { 0.5, ".2pct", "50.00%", "50.00%" },
  { 0.123456, "sig2pct", "12%", "12%" },
  -- x: multiplier, scale words apply
  { 50, "x", "50×", "50倍" },
  { 2.345, ".1x", "2.3×", "2.3倍" },
  { 1.5e6, "x", "1.5 million×", "150萬倍" },
  { 3.0, "sig2x", "3×", "3倍" },
  -- empty spec equals nil
  { 12500, "", "12,500", "1.25萬" },
}

for _, r in ipairs(rows) do
  local n, spec, en, zh, note = r[1], r[2], r[3], r[4], r[5]
  local label = (spec == nil and "default" or spec == "" and '""' or spec) .. " " .. tostring(n)
    .. (note and " (" .. note .. ")" or "")
  H.check("en " .. label, numfmt.format(n, "en", spec), en)
  H.check("zh " .. label, numfmt.format(n, "zh", spec), zh)
end

-- round(): the displayed number, used for unit auto-scaling
H.check("round default 9999.6", numfmt.round(9999.6, "en"), 10000)
H.check("round pct is in original units", numfmt.round(0.123456, "zh", "pct"), 0.123)
H.check("round .1f en 12345.67", numfmt.round(12345.67, "en", ".1f"), 12345.7)
H.check("round .1f zh 12345.67 uses mantissa", numfmt.round(12345.67, "zh", ".1f"), 12000)

-- format_round(): format's text and round's number from one rounding
for _, c in ipairs({ { 999.96, "en", nil }, { 9999.6, "zh", nil }, { 0.123456, "zh", "pct" }, { 12345.67, "zh", ".1f" },
    { -1.234e-7, "en", "sig2" }, { 1.45, "en", ".1f" } }) do
  local t, n = numfmt.format_round(c[1], c[2], c[3])
  local name = "format_round " .. c[2] .. " " .. tostring(c[3]) .. " " .. c[1]
  H.check(name .. " text", t, numfmt.format(c[1], c[2], c[3]))
  H.check(name .. " number", n, numfmt.round(c[1], c[2], c[3]))
end
H.raises("format_round checks its arguments", function() numfmt.format_round(0 / 0, "en") end, "cannot format NaN")

-- parse_spec
local function spec_err(s) return select(2, numfmt.parse_spec(s)) end
H.check("parse_spec nil is sig3", numfmt.parse_spec(nil).n, 3)
H.check("parse_spec sig15 ok", numfmt.parse_spec("sig15").n, 15)
H.check("parse_spec .10f ok", numfmt.parse_spec(".10f").kind, "fixed")
H.check("parse_spec .2pct", numfmt.parse_spec(".2pct").suffix, "pct")
H.check("parse_spec unknown foo", spec_err("foo"), "unknown format 'foo'")
H.check("parse_spec sig0", spec_err("sig0"), "unknown format 'sig0' (sigN takes N from 1 to 15)")
H.check("parse_spec sig16", spec_err("sig16"), "unknown format 'sig16' (sigN takes N from 1 to 15)")
H.check("parse_spec .11f", spec_err(".11f"), "unknown format '.11f' (at most 10 decimals)")
H.check("parse_spec .f", spec_err(".f"), "unknown format '.f'")
H.check("parse_spec .1fpct", spec_err(".1fpct"), "unknown format '.1fpct'")
H.check("parse_spec intpct", spec_err("intpct"), "unknown format 'intpct'")
H.check("parse_spec .2 without suffix", spec_err(".2"), "unknown format '.2'")
H.check("parse_spec number", spec_err(3), "unknown format '3' (a format must be a string)")

-- errors from format
H.raises("format raises unknown spec", function() numfmt.format(1, "en", "foo") end, "unknown format 'foo'")
H.raises("format raises NaN", function() numfmt.format(0 / 0, "en") end, "cannot format NaN")
H.raises("format raises inf", function() numfmt.format(1 / 0, "zh") end, "cannot format infinity")
H.raises("format raises -inf", function() numfmt.format(-1 / 0, "zh") end, "cannot format %-infinity")
H.raises("format raises bad lang", function() numfmt.format(1, "fr") end, "unknown language 'fr'")
H.raises("format raises string value", function() numfmt.format("12", "en") end, "cannot format a string")
H.raises("format error is at the caller",
  function() numfmt.format(0 / 0, "en") end, "^tests/lua/test_numfmt%.lua:%d+: cannot format NaN")

H.done()
