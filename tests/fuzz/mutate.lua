-- mutate.lua SEED FILE... — mutates each FILE in place, deterministically from
-- SEED: byte flips, inserted tokens that briefgen treats specially, deleted,
-- duplicated and spliced chunks.
local seed = assert(tonumber(arg[1]), "usage: mutate.lua SEED FILE...")
math.randomseed(seed)
local R = math.random

local tokens = {
	"---\n", "\n---\n", "...\n", "```calc\n", "```\n", "`= ", "`", " | ", "| .99f`", "| sig999`",
	"| pct.`", "| sig2x`", "| int`", "-- ", " -- 中 | en", "\n\n", "\r", "\t", "\0", "\xEF\xBB\xBF",
	"\xC0\xAF", "\xE4\xB8", "\xFF", "字", "<!--more-->", "[^1]", "[^1]: x\n", "[a](#b)", "[a](../../x/)",
	"](", "<a href=\"/x#y\">", "<", "&", "*", "_", "#", "## ", "> ", "- ", "1. ", "|", "|---|",
	"&a ", "*a", "{", "}", "[", "]", "(", ")", "'", "\"", "\\", ": ", "title: ", "date: ", "slug: ",
	"tags: ", "categories: ", "draft: true\n", "lang: ", "1e308", "0/0", "math.huge", "string.rep('x', 1e7)",
	"USD", "percent", "token", "%", "倍", "萬", "億", "million", " 3 ", "1,000.5",
	"function() end", "while true do end", "..", "/", "\n```calc\nv = 1\n```\n",
	"9223372036854775807", "0x7fffffffffffffff", " << ", " ~ ", "math.maxinteger", "floor(5e18)",
	"\nUSD = 5\n", "(function() GW.v = 1 return 1 end)()", ":7: ",
}

local function mutate(s)
	local n = R(1, 8)
	for _ = 1, n do
		local op = R(1, 7)
		local pos = R(0, #s)
		if op == 1 and #s > 0 then -- flip a byte
			local i = R(1, #s)
			s = s:sub(1, i - 1) .. string.char(R(0, 255)) .. s:sub(i + 1)
		elseif op <= 3 then -- insert a token
			s = s:sub(1, pos) .. tokens[R(#tokens)] .. s:sub(pos + 1)
		elseif op == 4 then -- delete a chunk
			s = s:sub(1, pos) .. s:sub(pos + R(1, 200))
		elseif op == 5 then -- duplicate a chunk
			local len = R(1, 400)
			s = s:sub(1, pos) .. s:sub(pos + 1, pos + len) .. s:sub(pos + 1)
		elseif op == 6 then -- repeat a token many times
			s = s:sub(1, pos) .. tokens[R(#tokens)]:rep(R(2, 3000)) .. s:sub(pos + 1)
		else -- swap two lines
			local lines = {}
			for l in (s .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = l end
			if #lines > 1 then
				local a, b = R(#lines), R(#lines)
				lines[a], lines[b] = lines[b], lines[a]
			end
			s = table.concat(lines, "\n")
		end
	end
	return s
end

for i = 2, #arg do
	if R(1, 3) > 1 or i == 2 then
		local f = assert(io.open(arg[i], "rb")); local s = f:read("a"); f:close()
		f = assert(io.open(arg[i], "wb")); f:write(mutate(s)); f:close()
	end
end
