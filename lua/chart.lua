-- chart.lua — what a `chart` block shows, worked out from the evaluated
-- model: the values it names in one axis unit, the axis ticks, every text
-- it shows (data labels, ticks, step ratios) formatted by the same units
-- and numfmt code as the prose, in the page's language. The SVG itself is
-- drawn in C (generator/chartsvg.c) from this plain data.
--
-- The host (calc.lua's evaluate) passes ctx:
--   ctx.value(name)      the model's value (number or quantity), nil if none
--   ctx.shown(name)      the model's text of it in this language
--   ctx.label(name)      its label in this language ("" when none)
--   ctx.labels(text)     a `中文 | English` text in this language
--   ctx.known(name)      whether the model defines the name
--   ctx.unknown(name, at) reports an unknown name (with a suggestion)
--   ctx.input(name)      whether name is an input (reads no other value)
--   ctx.sweep(name, x, targets) -> values of targets with input name = x,
--                        or nil and a message
--   ctx.err(at, msg)     records an error at { file, line, col }
--   ctx.lang             the page's language code
local units = require("units")
local numfmt = require("numfmt")

local M = {}

local is_q = units.is_quantity
local floor, ceil, abs, log = math.floor, math.ceil, math.abs, math.log
local sformat = string.format

local MAX_POINTS = 201

-- "W" for watts, "USD/GPU", "" for a plain number: what an axis compares.
local function dims_of(v) return is_q(v) and units.dims_string(v) or "" end

local function describe_dims(d) return d == "" and "a plain number" or d end

-- A step of 1, 2, 2.5 or 5 times a power of ten giving about n intervals.
local function nice_step(range, n)
  if range <= 0 then return 1 end
  local raw = range / n
  local p = 10 ^ floor(log(raw, 10))
  local m = raw / p
  local s = m <= 1 and 1 or m <= 2 and 2 or m <= 2.5 and 2.5 or m <= 5 and 5 or 10
  return s * p
end

-- Ticks covering [lo, hi] (lo <= 0 <= hi for value axes): k * step, so no
-- error accumulates.
local function ticks_over(lo, hi, n)
  local step = nice_step(hi - lo, n)
  local k0, k1 = floor(lo / step + 1e-9), ceil(hi / step - 1e-9)
  if k1 <= k0 then k1 = k0 + 1 end
  local out = {}
  for k = k0, k1 do out[#out + 1] = k * step end
  return out, k0 * step, k1 * step
end

-- The value axis' ticks over [lo, hi], each with its text (tick: the
-- axis' formatter); and the axis' ends (the first and last tick).
local function value_ticks(lo, hi, tick)
  local tv, tlo, thi = ticks_over(lo, hi, 4)
  local ticks = {}
  for k = 1, #tv do ticks[k] = { v = tv[k], text = tick(tv[k]) or tostring(tv[k]) } end
  return ticks, tlo, thi
end

-- The axis of a list of values (numbers or quantities of one dimension):
-- the unit they are shown in (the largest one's), and a function giving a
-- value's position on it and one giving a tick's text.
local function axis(vals, lang, sp, forced)
  local big, bigabs = nil, -1
  for i = 1, #vals do
    local v = vals[i]
    local a = abs(is_q(v) and (units.base(v)) or v)
    if a > bigabs then big, bigabs = v, a end
  end
  if not is_q(big) then
    return "", function(v) return v end, function(t) return units.try_format(t, lang, sp) end
  end
  local unit = forced or units.display_unit(big, lang, sp)
  return unit, function(v) return units.value_in(v, unit) end,
    function(t) return units.try_format(units.in_unit(t, unit), lang, sp) end
end

local function text_of(ctx, name, v, sp)
  if sp then return units.try_format(v, ctx.lang, sp) end
  return ctx.shown(name)
end

-- Checks that every name of the chart is in the model and that all the
-- values on one axis have one dimension. Returns the values (by item, by
-- position) or nil when something was wrong (reported).
local function gather(spec, ctx, want_plain)
  local ok, first = true, nil
  local rows = {}
  for i = 1, #spec.items do
    local it = spec.items[i]
    local row = {}
    rows[i] = row
    for j = 1, #it.names do
      local n = it.names[j]
      local at = { file = spec.file, line = it.line, col = it.cols[j] }
      local v = ctx.value(n)
      if not ctx.known(n) then
        ctx.unknown(n, at)
        ok = false
      elseif v == nil then -- the model reported why
        ok = false
      else
        local d = dims_of(v)
        if want_plain and d ~= "" then
          ctx.err(at, sformat("'%s' is %s; the steps of a ladder are multipliers (plain numbers)", n, d))
          ok = false
        elseif not first then
          first = { name = n, dims = d }
        elseif d ~= first.dims then
          ctx.err(at, sformat("'%s' is %s, but this chart's axis is %s (from '%s')", n,
            describe_dims(d), describe_dims(first.dims), first.name))
          ok = false
        end
        row[j] = v
      end
    end
  end
  return ok and rows or nil
end

local function item_label(ctx, it)
  if it.label ~= "" then return ctx.labels(it.label) end
  local l = ctx.label(it.names[1])
  return l ~= "" and l or it.names[1]
end

-- Bars, grouped and stacked bars, and the ladder: categories of marks on
-- one value axis.
local function categories(spec, ctx, sp)
  local ladder, stacked = spec.kind == "ladder", spec.kind == "stacked"
  local rows = gather(spec, ctx, ladder)
  if not rows then return nil end
  local nseries = #spec.series
  if spec.kind == "grouped" or stacked then
    if nseries < 1 then
      ctx.err({ file = spec.file, line = spec.line, col = spec.col },
        "a " .. spec.kind .. " chart needs a 'series:' line naming its series")
      return nil
    end
    for i = 1, #spec.items do
      local it = spec.items[i]
      if #it.names ~= nseries then
        ctx.err({ file = spec.file, line = it.line, col = it.cols[1] },
          sformat("%d value%s here for %d series", #it.names, #it.names == 1 and "" or "s", nseries))
        return nil
      end
    end
  end
  local all = {}
  for i = 1, #rows do
    if stacked then
      local sum = nil
      for j = 1, #rows[i] do sum = sum and sum + rows[i][j] or rows[i][j] end
      all[#all + 1] = sum
    end
    for j = 1, #rows[i] do all[#all + 1] = rows[i][j] end
  end
  local unit, pos, tick = axis(all, ctx.lang, sp, ctx.opts.unit)
  local lo, hi = 0, 0
  local cats = {}
  for i = 1, #rows do
    local it = spec.items[i]
    local cat = { label = item_label(ctx, it), marks = {} }
    local total = 0
    for j = 1, #rows[i] do
      local v = pos(rows[i][j])
      local text, ferr = text_of(ctx, it.names[j], rows[i][j], sp)
      if not text then
        ctx.err({ file = spec.file, line = it.line, col = it.cols[j] }, ferr)
        return nil
      end
      cat.marks[j] = { name = it.names[j], v = v, text = text }
      if stacked then
        if v < 0 then
          ctx.err({ file = spec.file, line = it.line, col = it.cols[j] },
            sformat("'%s' is negative: a stacked bar adds up parts", it.names[j]))
          return nil
        end
        total = total + v
      end
      if v < lo then lo = v end
      if v > hi then hi = v end
    end
    if stacked then
      local sum = nil
      for j = 1, #rows[i] do sum = sum and sum + rows[i][j] or rows[i][j] end
      cat.total = units.try_format(sum, ctx.lang, sp)
      if total > hi then hi = total end
    end
    if ladder and i > 1 then
      local prev = rows[i - 1][1]
      if prev ~= 0 then cat.step = units.try_format(rows[i][1] / prev, ctx.lang, "x") end
    end
    cats[i] = cat
  end
  local vlo, vhi = lo, hi -- what this model needs (a what-if page widens it: M.retick)
  local ticks, tlo, thi = value_ticks(lo, hi, tick)
  local series = {}
  for k = 1, nseries do series[k] = ctx.labels(spec.series[k]) end
  return { cats = cats, ticks = ticks, lo = tlo, hi = thi, unit = unit, series = series, vlo = vlo, vhi = vhi,
    tick = tick }
end

-- A line over a swept input: the model evaluated at each point.
local function line(spec, ctx, sp)
  local sw = spec.sweep
  if not sw then
    ctx.err({ file = spec.file, line = spec.line, col = spec.col },
      "a line chart needs 'sweep: NAME from A to B' (the input it varies)")
    return nil
  end
  local swat = { file = spec.file, line = sw.line, col = sw.col }
  if not ctx.known(sw.name) then ctx.unknown(sw.name, swat) return nil end
  if ctx.value(sw.name) == nil then return nil end
  if not ctx.input(sw.name) then
    ctx.err(swat, sformat("'%s' is computed from other values; sweep one of its inputs", sw.name))
    return nil
  end
  local rows = gather(spec, ctx, false)
  if not rows then return nil end
  if sw.to <= sw.from then
    ctx.err(swat, "a sweep goes from a smaller number to a larger one")
    return nil
  end
  local n = sw.step > 0 and floor((sw.to - sw.from) / sw.step + 1e-9) + 1 or 25
  if n > MAX_POINTS then
    ctx.err(swat, sformat("%d points is more than a chart draws (at most %d): take a larger step", n, MAX_POINTS))
    return nil
  end
  if n < 2 then
    ctx.err(swat, "a sweep needs at least two points")
    return nil
  end
  -- the swept input's points, in the unit it is shown in
  -- a point x is the input scaled as `briefgen calc name=x` scales it, so
  -- that it keeps the input's unit and the way it is shown
  local x0 = ctx.value(sw.name)
  local dv0 = x0
  if is_q(x0) then _, dv0 = units.display_unit(x0, "en") end
  local function at_x(x) return units.like(x0, x) end
  local xs, xq = {}, {}
  for k = 1, n do
    local x = sw.step > 0 and sw.from + (k - 1) * sw.step or sw.from + (sw.to - sw.from) * (k - 1) / (n - 1)
    xs[k] = x
    xq[k] = at_x(x)
  end
  local targets = {}
  for i = 1, #spec.items do
    for j = 1, #spec.items[i].names do targets[#targets + 1] = spec.items[i].names[j] end
  end
  local series = {}
  for t = 1, #targets do series[t] = {} end
  for k = 1, n do
    local got, why = ctx.sweep(sw.name, xq[k], targets)
    if not got then
      ctx.err(swat, sformat("at %s = %s: %s", sw.name, units.try_format(xq[k], ctx.lang) or tostring(xs[k]), why))
      return nil
    end
    for t = 1, #targets do
      local v = got[t]
      if dims_of(v) ~= dims_of(rows[1][1]) then
        ctx.err(swat, sformat("at %s = %s, '%s' changes its unit", sw.name, tostring(xs[k]), targets[t]))
        return nil
      end
      series[t][k] = v
    end
  end
  local all = {}
  for t = 1, #targets do for k = 1, n do all[#all + 1] = series[t][k] end end
  local unit, pos, tick = axis(all, ctx.lang, sp, ctx.opts.unit)
  local lo, hi = 0, 0
  local lines = {}
  for t = 1, #targets do
    local name = targets[t]
    local l = { name = name, label = ctx.label(name) ~= "" and ctx.label(name) or name, ys = {}, texts = {} }
    for k = 1, n do
      local y = pos(series[t][k])
      l.ys[k] = y
      l.texts[k] = units.try_format(series[t][k], ctx.lang, sp) or tostring(y)
      if y < lo then lo = y end
      if y > hi then hi = y end
    end
    -- the published point: the model's own value, at the input's own value
    l.at = pos(ctx.value(name))
    l.at_text = text_of(ctx, name, ctx.value(name), sp)
    lines[t] = l
  end
  local vlo, vhi = lo, hi
  local ticks, tlo, thi = value_ticks(lo, hi, tick)
  -- x ticks: nice values inside the sweep, shown as the input is
  local xt = {}
  local step = nice_step(sw.to - sw.from, 5)
  for k = ceil(sw.from / step - 1e-9), floor(sw.to / step + 1e-9) do
    local x = k * step
    xt[#xt + 1] = { v = x, text = units.try_format(at_x(x), ctx.lang) or tostring(x) }
  end
  local xtexts = {}
  for k = 1, n do xtexts[k] = units.try_format(xq[k], ctx.lang) or tostring(xs[k]) end
  local xat = dv0
  return { lines = lines, ticks = ticks, lo = tlo, hi = thi, unit = unit, xs = xs, xtexts = xtexts,
    xticks = xt, xlo = sw.from, xhi = sw.to, xat = xat, xlabel = ctx.label(sw.name) ~= "" and ctx.label(sw.name) or sw.name,
    xname = sw.name, vlo = vlo, vhi = vhi, tick = tick }
end

-- spec: { kind, title, format, file, line, col, series = { label text, … },
--   items = { { names, cols, label, line }, … }, sweep = { name, from, to, step, line, col } }
-- Returns the chart's data, or nil when it has errors (reported through ctx).
-- The value axis of d (from M.data) set to cover [lo, hi] as well: the same
-- ticks for every scenario of a what-if page. Returns the ticks, to share.
function M.retick(d, lo, hi, ticks)
  if not ticks then
    ticks, lo, hi = value_ticks(math.min(lo, d.vlo), math.max(hi, d.vhi), d.tick)
    ticks.lo, ticks.hi = lo, hi
  end
  d.ticks, d.lo, d.hi = ticks, ticks.lo, ticks.hi
  return ticks
end

-- ctx.opts (optional): { unit = the axis unit } (a what-if page: one axis
-- for every scenario, widened afterwards by M.retick).
function M.data(spec, ctx)
  ctx.opts = ctx.opts or {}
  local sp = nil
  if spec.format and spec.format ~= "" then
    local perr
    sp, perr = numfmt.parse_spec(spec.format)
    if not sp then
      ctx.err({ file = spec.file, line = spec.format_line or spec.line, col = spec.format_col or spec.col }, perr)
      return nil
    end
  end
  if #spec.items == 0 then
    ctx.err({ file = spec.file, line = spec.line, col = spec.col }, "a chart needs at least one value to draw")
    return nil
  end
  local out
  if spec.kind == "line" then out = line(spec, ctx, sp) else out = categories(spec, ctx, sp) end
  if not out then return nil end
  out.kind = spec.kind
  out.title = spec.title ~= "" and ctx.labels(spec.title) or ""
  return out
end

return M
