-- The template compiler: escaping, raw output, loops, errors with lines.
package.path = "lua/?.lua;tests/lua/?.lua;" .. package.path
local H = require("harness")
local T = require("template")

local function engine(builtins)
  return T.new(builtins or { ipairs = ipairs, pairs = pairs, table = table, string = string })
end

local function render(src, ctx, builtins)
  local e = engine(builtins)
  local ok, err = e:add("t", src, "templates/t.html")
  if not ok then return nil, err end
  local rok, res = pcall(e.render, e, "t", ctx or {})
  if not rok then return nil, res end
  return res
end

H.check("text passes through", render("<p>plain & simple</p>\n"), "<p>plain & simple</p>\n")
H.check("<%= %> escapes", render("<%= x %>", { x = [[<a href="x">'&'</a>]] }),
  "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
H.check("<%- %> is raw", render("<%- x %>", { x = "<b>bold</b>" }), "<b>bold</b>")
H.check("numbers print", render("<%= n %>", { n = 42 }), "42")
H.check("nil prints nothing", render("[<%= x.missing %>]", { x = {} }), "[]")
H.check("false prints nothing", render("[<%= f %>]", { f = false }), "[]")
H.check("loop", render("<% for _, v in ipairs(xs) do %><%= v %>,<% end %>", { xs = { 1, 2, 3 } }), "1,2,3,")
H.check("statement lines leave no blank lines",
  render("<ul>\n<% for _, v in ipairs(xs) do %>\n  <li><%= v %></li>\n<% end %>\n</ul>\n", { xs = { "a", "b" } }),
  "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
H.check("if/else", render("<% if x then %>yes<% else %>no<% end %>", { x = true }), "yes")
H.check("locals in templates", render("<% local y = x * 2 %><%= y %>", { x = 21 }), "42")
H.check("assignment to a new name is per render", render("<% z = 5 %><%= z %>", {}), "5")
H.check("percent signs in text", render("100% <%= '50%' %>"), "100% 50%")
H.check("quotes and backslashes in text", render([[a "b" \n 'c']]), [[a "b" \n 'c']])
H.check("escape(): all five characters", T.escape([[&<>"']]), "&amp;&lt;&gt;&quot;&#39;")

local e = engine()
e:add("inner", "[<%= who %>]", "templates/inner.html")
e:add("outer", "<%- partial('inner', { who = 'x<y' }) %>/<%= who %>", "templates/outer.html")
H.check("partial with extra context, escaped inside", e:render("outer", { who = "me" }), "[x&lt;y]/me")

local _, err = render("line 1\nline 2\n<%= nope %>\n")
H.check("unknown variable: error with template line", err, "templates/t.html:3: unknown template variable 'nope'")
_, err = render("a\n<% if x then %>\nb\n<% end end %>\n", { x = 1 })
H.check("syntax error: reported at its template line", err, "templates/t.html:4: <eof> expected near 'end'")
_, err = render("a\n\nb <%= x")
H.check("unclosed tag: reported at its line", err, "templates/t.html:3: '<%' is never closed with '%>'")
_, err = render("a\n<%= t %>", { t = {} })
H.check("printing a table is an error at its line", err, "templates/t.html:2: cannot print a table value")
_, err = render("<%- partial('none') %>")
H.check("missing partial is an error", err and err:match("no template 'none'") ~= nil, true)

-- compiled once: rendering again reuses the function, with fresh context
local e2 = engine()
e2:add("p", "<%= x %>", "templates/p.html")
local f1 = e2.fns.p
H.check("render 1", e2:render("p", { x = 1 }), "1")
H.check("render 2 with another context", e2:render("p", { x = 2 }), "2")
H.check("compiled function reused", e2.fns.p, f1)

-- the record of templates used (incremental preview builds), partials included
local e3 = engine()
e3:add("inner", "i", "templates/inner.html")
e3:add("outer", "<%- partial('inner') %>", "templates/outer.html")
e3:add("other", "o", "templates/other.html")
e3.used = {}
e3:render("outer", {})
local used = {}
for k in pairs(e3.used) do used[#used + 1] = k end
table.sort(used)
H.check("used: the page and its partials, nothing else", table.concat(used, ","), "inner,outer")

local I = require("i18n")
local words = { zh = dofile("templates/i18n/zh.lua"), en = dofile("templates/i18n/en.lua") }
local format_date = I.date_formatter(words)
H.check("zh date", format_date("2024-12-13T00:00:00Z", "zh"), "2024年12月13日")
H.check("en date", format_date("2024-12-13T00:00:00Z", "en"), "December 13, 2024")
H.check("en date, single-digit day", format_date("2025-01-02", "en"), "January 2, 2025")
H.check("a language without date_format: the ISO date", format_date("2025-01-02", "fr"), "2025-01-02")
local t = I.translator({ hi = "hello {1} and {2}" }, "en")
H.check("t() with arguments", t("hi", "a", 2), "hello a and 2")
H.raises("t() unknown key is an error", function() t("nope") end, "no 'en' text for 'nope'")
H.done()
