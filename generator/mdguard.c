/* mdguard — the Markdown limits. Each count below stands for one cost of
 * cmark-gfm 0.29.0.gfm.6 that grows faster than its input, and is at least
 * that cost's driver wherever cmark would see it (counts never miss what
 * cmark parses; they may count what it would not, such as code). */
#include "mdguard.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include "banned.h"

enum {
	/* Containers open on a line (block quotes, list items, footnote
	 * definitions): every line walks them, a blank line under nested lists
	 * or footnotes walks them all (CVE-2023-24824, CVE-2023-37463), and
	 * every inline node appended checks its ancestors (CVE-2023-22483).
	 * Later gfm releases stop lists at 100 deep. Per line. */
	DEPTH_MAX = 100,
	/* '[' of a paragraph: each link matched walked back over every open
	 * bracket (CVE-2023-22486, `![[]()`). Per block, as the next three. */
	BRACKETS_MAX = 5000,
	/* Delimiter runs of a paragraph: emphasis runs were matched against
	 * every earlier run (CVE-2023-22483, `*t _t*_`), '~' runs were left on
	 * the delimiter stack (CVE-2023-22483, `~e,z~~`). */
	EMPH_MAX = 5000,
	TILDES_MAX = 2000,
	/* '<?' and '<![' read to the end of the paragraph when unclosed, each
	 * time (processing instructions, CDATA). */
	HTML_MAX = 200,
	/* Tables (CVE-2023-22483, CVE-2023-37463): a delimiter-row-like line
	 * reads the whole paragraph before it again, cell by cell, each cell
	 * looking back to the last '|'; a row's cells are appended to a list
	 * walked from its head each time and indexed from the row's start when
	 * rendered; short rows are filled up to the header's columns. What is
	 * read again, and the cells, are counted over the whole body (a block
	 * at the limit is only a few KB); columns per line. */
	TABLE_REREAD_MAX = 4000000,
	TABLE_COLS_MAX = 500,
	TABLE_CELLS_MAX = 200000,
	/* A run of text without spaces is read to its end by every 'www.' and
	 * '://' in it, and again for every ')' trimmed off its end
	 * (CVE-2023-22483, `z_www.`, `www.)))`, `<http://s`). Per run. */
	LINKS_MAX = 100,
	PARENS_MAX = 1000,
	/* Each use of a link reference copies its definition's destination and
	 * title (CVE-2023-22483: a title spanning the paragraph, used on each
	 * of its lines, 10 KB of input gave 24 MB of HTML). Over the body. */
	REFCOPY_MAX = 8000000,
};

struct guard {
	const char *text;
	size_t len;
	const char *file;
	int line_off; /* file line of body line 1, minus 1 */
	struct diag_list *dl;
	uint64_t reread; /* bytes delimiter-like lines make the table extension read again */
	uint64_t cells;  /* cells of tables, as many as there could be */
};

/* Lines without a blank line between: no paragraph or table crosses a
 * blank line, so each of them lies inside one block. */
struct block {
	int line, nlines; /* first line (of the body, 1-based); lines so far */
	size_t start;     /* offset of the first byte */
	size_t brackets, emph, tildes, html;
	size_t delims;     /* lines that could be a table's delimiter row */
	uint64_t walk;     /* sum over lines of the distance back to the last '|' */
	size_t after_pipe; /* offset just after the last '|' so far, or start */
	int first_delim;   /* line index (0-based) of the first delimiter-like line */
	size_t max_cols;   /* the most columns such a line could give a table */
	size_t max_pipes;  /* most '|' on one line, and that line */
	int max_pipes_line;
};

/* Where errors go: a line of the body, as a file line (no column: the
 * count is the line's or the block's). */
static struct srcpos at(const struct guard *g, int line)
{
	return (struct srcpos){ g->file, g->line_off + line, 0 };
}

static int is_space(char c) /* cmark_isspace: what ends a run of text */
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Container markers at the start of a line: '>', list markers ("-", "+",
 * "*", "1." or "1)" followed by a blank or the end) and footnote
 * definitions ("[^label]:"), and the columns of white space between them
 * (tab stops of 4), less the one space a marker takes after it. Returns the
 * offset after them; *depth is the containers the line can be in: a list
 * item nested by indentation sits at least two columns right of its
 * parent's marker. Containers only open on lines with a marker, so the
 * deepest such line bounds what every line walks; a line without one gets
 * 0. */
static size_t prefix(const char *s, size_t n, int *depth, int *quotes_only)
{
	size_t i = 0;
	int markers = 0, quotes = 0, col = 0, ws = 0, after_marker = 0;
	while (i < n) {
		char c = s[i];
		if (c == ' ' || c == '\t') {
			int w = c == '\t' ? 4 - col % 4 : 1;
			col += w;
			ws += after_marker ? w - 1 : w;
			after_marker = 0;
			i++;
			continue;
		}
		size_t m = 0;
		if (c == '>') {
			m = 1;
			quotes++;
		} else if (c == '[' && i + 1 < n && s[i + 1] == '^') {
			/* a footnote definition, "[^label]:" */
			m = 2;
			while (i + m < n && s[i + m] != ']' && s[i + m] != ' ' && s[i + m] != '\t')
				m++;
			m = i + m + 1 < n && s[i + m] == ']' && s[i + m + 1] == ':' ? m + 2 : 0;
		} else if (c == '-' || c == '+' || c == '*') {
			m = 1;
		} else if (c >= '0' && c <= '9') {
			while (m < n - i && m < 9 && s[i + m] >= '0' && s[i + m] <= '9')
				m++;
			if (m < n - i && (s[i + m] == '.' || s[i + m] == ')'))
				m++;
			else
				m = 0;
		}
		if (!m || (c != '>' && c != '[' && i + m < n && s[i + m] != ' ' && s[i + m] != '\t'))
			break;
		markers++;
		col += (int)m;
		i += m;
		after_marker = 1;
	}
	*depth = markers ? markers + ws / 2 : 0;
	*quotes_only = markers == quotes && ws < 2;
	return i;
}

/* Could s be a table's delimiter row (cmark-gfm's scan_table_start): only
 * '|', '-', ':' and blanks, with a '-'? */
static int delimiter_like(const char *s, size_t n)
{
	int dash = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			dash = 1;
		else if (s[i] != '|' && s[i] != ':' && s[i] != ' ' && s[i] != '\t')
			return 0;
	}
	return dash;
}

static void block_end(struct guard *g, struct block *b)
{
	if (!b->nlines)
		return;
	int first = g->line_off + b->line, last = first + b->nlines - 1; /* as file lines */
	if (b->brackets > BRACKETS_MAX)
		diag_error(g->dl, at(g, b->line),
		           "%zu '[' in one block (lines %d-%d, no blank line between); the limit is %d",
		           b->brackets, first, last, BRACKETS_MAX);
	if (b->emph > EMPH_MAX)
		diag_error(g->dl, at(g, b->line),
		           "%zu runs of '*' and '_' in one block (lines %d-%d, no blank line between); the "
		           "limit is %d",
		           b->emph, first, last, EMPH_MAX);
	if (b->tildes > TILDES_MAX)
		diag_error(
		        g->dl, at(g, b->line),
		        "%zu runs of '~' in one block (lines %d-%d, no blank line between); the limit is %d",
		        b->tildes, first, last, TILDES_MAX);
	if (b->html > HTML_MAX)
		diag_error(g->dl, at(g, b->line),
		           "%zu '<?' and '<![' in one block (lines %d-%d, no blank line between); the limit "
		           "is %d",
		           b->html, first, last, HTML_MAX);
	if (b->delims) {
		/* Tables in a block have no more columns than its widest
		 * delimiter row, and no more rows than follow its first. */
		uint64_t cells = (uint64_t)b->max_cols * (uint64_t)(b->nlines - 1 - b->first_delim);
		if (g->cells <= TABLE_CELLS_MAX && g->cells + cells > TABLE_CELLS_MAX)
			diag_error(g->dl, at(g, b->line),
			           "tables of up to %" PRIu64 " cells (columns times rows, to the next "
			           "blank line) up to line %d; the limit is %d in all",
			           g->cells + cells, last, TABLE_CELLS_MAX);
		g->cells += cells;
		if (b->max_pipes > TABLE_COLS_MAX)
			diag_error(g->dl, at(g, b->max_pipes_line), "a table row of %zu '|'; the limit is %d",
			           b->max_pipes, TABLE_COLS_MAX);
	}
	memset(b, 0, sizeof *b);
}

/* A run of text without spaces ends: too many web addresses, or ')' that
 * one of them would trim one at a time. */
static void word_end(struct guard *g, int line, size_t links, size_t parens)
{
	if (links > LINKS_MAX)
		diag_error(g->dl, at(g, line),
		           "%zu web addresses ('www.' or '://') in one run of text without spaces; the limit "
		           "is %d",
		           links, LINKS_MAX);
	else if (links && parens > PARENS_MAX)
		diag_error(
		        g->dl, at(g, line),
		        "%zu ')' in one run of text without spaces that holds a web address; the limit is %d",
		        parens, PARENS_MAX);
}

/* The bytes scan_line acts on: white space and the switch's cases. */
static const unsigned char marked[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1, ['['] = 1, ['*'] = 1,
	['_'] = 1, ['~'] = 1, ['<'] = 1, ['|'] = 1, [')'] = 1, ['w'] = 1, [':'] = 1,
};

static void scan_line(struct guard *g, struct block *b, size_t pos, size_t eol, int line)
{
	const char *s = g->text;
	int depth, quotes_only;
	size_t body = pos + prefix(s + pos, eol - pos, &depth, &quotes_only);
	if (depth > DEPTH_MAX) {
		if (quotes_only)
			diag_error(g->dl, at(g, line), "%d nested block quotes; the limit is %d", depth,
			           DEPTH_MAX);
		else
			diag_error(g->dl, at(g, line),
			           "%d nested block quotes, list items and footnotes (each '>', list "
			           "marker, '[^note]:' and two columns of indentation before one is one); "
			           "the limit is %d",
			           depth, DEPTH_MAX);
	}
	if (!b->nlines) {
		b->line = line;
		b->start = b->after_pipe = pos;
	}
	size_t pipes = 0;
	for (const char *q = s + pos; (q = memchr(q, '|', (size_t)(s + eol - q))); q++)
		pipes++;
	if (delimiter_like(s + body, eol - body)) {
		b->delims++;
		uint64_t again = (pos - b->start) + b->walk;
		if (g->reread <= TABLE_REREAD_MAX && g->reread + again > TABLE_REREAD_MAX)
			diag_error(
			        g->dl, at(g, line),
			        "lines like a table's delimiter row (|---|) make the parser read %" PRIu64
			        " bytes again up to here; the limit is %d in all (a blank line before each "
			        "table's header row avoids it)",
			        g->reread + again, TABLE_REREAD_MAX);
		g->reread += again;
		if (b->delims == 1)
			b->first_delim = b->nlines;
		if (pipes + 1 > b->max_cols)
			b->max_cols = pipes + 1;
	}
	/* A row that does not start with '|' starts its first cell where the
	 * line does, and cmark-gfm looks back from there for a '|'. */
	if (body == eol || s[body] != '|')
		b->walk += pos - b->after_pipe;
	if (pipes > b->max_pipes) {
		b->max_pipes = pipes;
		b->max_pipes_line = line;
	}
	size_t links = 0, parens = 0;
	int in_word = 0;
	for (size_t i = pos; i < eol; i++) {
		char c = s[i];
		if (!marked[(unsigned char)c]) { /* most of a line: letters, Han characters */
			in_word = 1;
			continue;
		}
		if (is_space(c)) {
			if (in_word)
				word_end(g, line, links, parens);
			in_word = 0;
			links = parens = 0;
			continue;
		}
		in_word = 1;
		switch (c) {
		case '[':
			b->brackets++;
			break;
		case '*':
		case '_':
			b->emph += i == pos || s[i - 1] != c;
			break;
		case '~':
			b->tildes += i == pos || s[i - 1] != c;
			break;
		case '<':
			b->html += i + 1 < eol &&
			           (s[i + 1] == '?' || (s[i + 1] == '!' && i + 2 < eol && s[i + 2] == '['));
			break;
		case '|':
			b->after_pipe = i + 1;
			break;
		case ')':
			parens++;
			break;
		case 'w':
			links += eol - i >= 4 && !memcmp(s + i, "www.", 4);
			break;
		case ':':
			links += eol - i >= 3 && !memcmp(s + i, "://", 3);
			break;
		default:
			break;
		}
	}
	if (in_word)
		word_end(g, line, links, parens);
	b->nlines++;
}

/* Finding the end of link titles: the first unescaped closing character
 * at or after a position, before a blank line. A query below the last one
 * asks from there instead (it may then find a later closer: a larger
 * definition, never a smaller one), so queries only rise, an answer holds
 * for every query up to it, and each byte is read once per character. */
struct closer {
	char c;
	int asked; /* from and at hold a query and its answer */
	size_t from, at;
	int found; /* at is a closer (else: a blank line or the end) */
};

static size_t line_end(const char *s, size_t n, size_t i)
{
	const char *nl = memchr(s + i, '\n', n - i);
	size_t end = nl ? (size_t)(nl - s) : n;
	const char *cr = memchr(s + i, '\r', end - i);
	return cr ? (size_t)(cr - s) : end;
}

/* After the line end at i: the offset of the next line. */
static size_t next_line(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
		return i + 2;
	return i < n ? i + 1 : n;
}

/* Is the line starting at i blank (or the end)? */
static int blank_at(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n || s[i] == '\n' || s[i] == '\r';
}

static int closer_find(const char *s, size_t n, struct closer *k, size_t q, size_t *at)
{
	if (k->asked && q < k->from)
		q = k->from;
	if (!k->asked || q > k->at) {
		size_t i = q;
		k->found = 0;
		while (i < n) {
			if (s[i] == k->c) {
				size_t bs = 0;
				while (bs < i && s[i - 1 - bs] == '\\')
					bs++;
				if (bs % 2 == 0) {
					k->found = 1;
					break;
				}
			} else if (s[i] == '\n' || s[i] == '\r') {
				size_t nl = next_line(s, n, i);
				if (blank_at(s, n, nl))
					break;
				i = nl;
				continue;
			}
			i++;
		}
		k->asked = 1;
		k->from = q;
		k->at = i;
	}
	*at = k->at;
	return k->found;
}

/* Skips blanks, and one line end if the line ends there (not into a blank
 * line): where a definition's destination or title may start. Returns n
 * when there is none. */
static size_t skip_to_next(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '\n' || s[i] == '\r')) {
		i = next_line(s, n, i);
		if (blank_at(s, n, i))
			return n;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	return i;
}

/* Link reference definitions ("[label]: destination 'title'") and their
 * possible uses: every ']' (a failed inline link "[f](" or full reference
 * "[f][" falls back to "[f]", and "[f]:" that is no definition is a use).
 * What the uses could copy is at most their number times the largest
 * definition. A definition's size is taken to its title's closing quote
 * even when text follows that (cmark-gfm 0.29 keeps the title of a
 * definition it then takes without one), and an angle-bracket destination
 * to the end of its line. Definitions in one run of text (or one line,
 * for angle brackets) end their destination where it ends and look for a
 * title from the same place: each is found once. */
static void check_refs(struct guard *g)
{
	const char *s = g->text;
	size_t n = g->len, uses = 0, big = 0, big_at = 0;
	/* the last destination of each kind: from, end, where a title may start */
	size_t run[3] = { 1, 0, 0 }, eol[3] = { 1, 0, 0 };
	struct closer k[3] = { { '"', 0, 0, 0, 0 }, { '\'', 0, 0, 0, 0 }, { ')', 0, 0, 0, 0 } };
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ']')
			continue;
		uses++;
		if (i + 1 == n || s[i + 1] != ':')
			continue;
		size_t d = skip_to_next(s, n, i + 2);
		if (d == n)
			continue;
		size_t *m = s[d] == '<' ? eol : run;
		if (!(m[0] <= d && d < m[1])) {
			size_t end = d;
			if (m == eol)
				end = line_end(s, n, d);
			else
				while (end < n && !is_space(s[end]))
					end++;
			m[0] = d;
			m[1] = end;
			m[2] = skip_to_next(s, n, end);
		}
		size_t end = m[1], t = m[2];
		if (t < n && (s[t] == '"' || s[t] == '\'' || s[t] == '(')) {
			size_t at;
			if (closer_find(s, n, &k[s[t] == '"' ? 0 : s[t] == '\'' ? 1 : 2], t + 1, &at))
				end = at + 1;
		}
		if (end - i > big) {
			big = end - i;
			big_at = i;
		}
	}
	uint64_t copy = (uint64_t)uses * big;
	if (copy > REFCOPY_MAX) {
		int line = 1;
		for (size_t i = 0; i < big_at; i++) /* once, for the message */
			if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
				line++;
		diag_error(g->dl, at(g, line),
		           "%zu possible uses of a link reference could each copy this %zu-byte "
		           "definition (%" PRIu64 " bytes); the limit is %d bytes",
		           uses, big, copy, REFCOPY_MAX);
	}
}

int mdguard_check(const char *text, size_t len, const char *file, int body_line, struct diag_list *dl)
{
	struct guard g = { text, len, file, body_line - 1, dl, 0, 0 };
	size_t errors = dl->errors;
	struct block b;
	memset(&b, 0, sizeof b);
	int line = 1;
	for (size_t pos = 0; pos < len; line++) {
		size_t eol = line_end(text, len, pos);
		if (blank_at(text, len, pos))
			block_end(&g, &b);
		else
			scan_line(&g, &b, pos, eol, line);
		pos = next_line(text, len, eol);
	}
	block_end(&g, &b);
	check_refs(&g);
	return dl->errors > errors ? -1 : 0;
}
