-- template — compiles HTML templates into Lua functions, once per build.
--
--   <%= expr %>   value, HTML-escaped
--   <%- expr %>   value, raw (for HTML the pipeline produced)
--   <% code %>    Lua statements; a tag alone on its line leaves no blank line
--
-- The generated code keeps every line break of the template, so a Lua error
-- at line N of the generated chunk is an error at line N of the template, and
-- the chunk is named after the template file.

local M = {}

-- String functions are called as functions, never as methods: in the
-- template state the string metatable offers templates checked wrappers
-- (generator/template.c); this module's own patterns are bounded and keep
-- the real functions, taken here when the module is loaded.
local sfind, smatch, sgmatch, sgsub, sformat = string.find, string.match, string.gmatch, string.gsub, string.format
local sbyte, ssub = string.byte, string.sub

local escapes = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

local function tostr(v, how)
  local ty = type(v)
  if ty == "string" then return v end
  if v == nil or v == false then return "" end
  if ty == "number" or ty == "boolean" then return tostring(v) end
  error("cannot " .. how .. " a " .. ty .. " value", 3)
end

-- The host (generator/template.c) replaces this with the same function in
-- C before it makes an engine: every printed value goes through it.
function M.escape(v)
  return (sgsub(tostr(v, "print"), "[&<>\"']", escapes))
end

local function raw(v) return tostr(v, "print") end

local function line_at(src, pos)
  local n = 1
  for _ in sgmatch(src:sub(1, pos - 1), "\n") do n = n + 1 end
  return n
end

-- Returns Lua source for a template, or nil and "name:line: message".
function M.translate(src, name)
  local out = { "local _ENV, _esc, _raw = ... local _o = {} " }
  local pos = 1
  local function text(s)
    if s ~= "" then out[#out + 1] = "_o[#_o+1]=" .. sformat("%q", s) .. " " end
  end
  while true do
    local s, e, kind = sfind(src, "<%%([=%-]?)", pos)
    if not s then text(src:sub(pos)); break end
    local close = sfind(src, "%>", e + 1, true)
    if not close then
      return nil, name .. ":" .. line_at(src, s) .. ": '<%' is never closed with '%>'"
    end
    local code = src:sub(e + 1, close - 1)
    local after = close + 2
    local before = src:sub(pos, s - 1)
    if kind == "" then
      -- A statement tag alone on its line: drop its indentation and newline.
      local ls = s - 1
      while ls >= 1 and (src:byte(ls) == 32 or src:byte(ls) == 9) do ls = ls - 1 end
      local tail = smatch(src, "^[ \t]*\r?\n", after) or (after > #src and "")
      if (ls == 0 or src:byte(ls) == 10) and tail then
        before = before:sub(1, #before - math.min(#before, s - 1 - ls))
        after = after + #tail
        code = code .. "\n"
      end
    end
    text(before)
    if kind == "=" then
      out[#out + 1] = "_o[#_o+1]=_esc(" .. code .. ") "
    elseif kind == "-" then
      out[#out + 1] = "_o[#_o+1]=_raw(" .. code .. ") "
    else
      out[#out + 1] = code .. " ; "
    end
    pos = after
  end
  out[#out + 1] = "return _o"
  return table.concat(out)
end

-- An engine holds compiled templates and the builtins every template sees.
-- Lookups of names that are neither in the render context nor builtins fail
-- loudly: a typo in a template is an error, not an empty string.
--
-- A template's free names go to its _ENV, a fresh table per render (what
-- the template assigns), which falls back to the render context, which
-- falls back to the builtins, which fall back to the error. The chain is
-- made of tables, not functions: the VM follows a table __index without
-- calling back into Lua, and templates read a name or two per line of
-- output (a function here was 4 % of a build's instructions).
local Engine = {}
Engine.__index = Engine

function M.new(builtins)
  local self = setmetatable({ fns = {}, builtins = builtins or {}, ctx = nil }, Engine)
  local engine = self
  setmetatable(self.builtins, {
    __index = function(_, k) error("unknown template variable '" .. tostring(k) .. "'", 2) end,
  })
  self.ctx_meta = { __index = self.builtins }
  self.builtins.partial = function(name, extra)
    local ctx = engine.ctx
    if extra then
      ctx = setmetatable({}, { __index = engine.ctx })
      for k, v in pairs(extra) do ctx[k] = v end
    end
    return engine:render(name, ctx)
  end
  return self
end

-- Compiles src under name (its file path for messages). Returns true, or
-- nil and "file:line: message".
function Engine:add(key, src, file)
  local code, err = M.translate(src, file)
  if not code then return nil, err end
  local fn, lerr = load(code, "@" .. file, "t", {}) -- its _ENV is the first argument
  if not fn then return nil, lerr end
  self.fns[key] = fn
  return true
end

function Engine:has(key) return self.fns[key] ~= nil end

-- The output of a template as the list of its pieces, in order.
function Engine:pieces(key, ctx)
  local fn = self.fns[key]
  if not fn then error("no template '" .. key .. "'", 3) end
  -- The preview server's incremental builds ask which templates a page used
  -- (tpl_take_used in generator/template.c): a set it empties after each page.
  if self.used then self.used[key] = true end
  if getmetatable(ctx) == nil then setmetatable(ctx, self.ctx_meta) end
  local saved_ctx = self.ctx
  self.ctx = ctx
  local ok, res = pcall(fn, setmetatable({}, { __index = ctx }), M.escape, raw)
  self.ctx = saved_ctx
  if not ok then error(res, 0) end
  return res
end

-- The output of a template as a string.
function Engine:render(key, ctx)
  return table.concat(self:pieces(key, ctx))
end

-- url("/zh/") → the path under the site's base path; abs_url → absolute.
function M.url_helpers(base_path, base_url)
  local function under(base, path)
    path = tostring(path or "")
    if sfind(path, "^%a[%w+.-]*:") then return path end
    if sbyte(path, 1) == 47 then return base .. ssub(path, 2) end -- "/"
    return base .. path
  end
  local function url(path) return under(base_path, path) end
  local function abs_url(path) return under(base_url, path) end
  return url, abs_url
end

-- Renders a page template, then the base layout around it; returns the
-- layout's pieces, which the host appends to its buffer one by one (joining
-- them here copied every page twice more: 6 % of a build's instructions).
function Engine:page(key, ctx)
  ctx.content = self:render(key, ctx)
  return self:pieces("base", ctx)
end

return M
