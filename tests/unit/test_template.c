/* template: themes compiled by tpl_new and rendered through the public
 * entry points. Compile errors and runtime errors with the template's file
 * and line, the unknown-variable error, escaping (<%= %>) against raw output
 * (<%- %>), statement lines that leave no blank line, the layout, partials,
 * interface strings, the record of templates used, and a brief's context. */
#include "harness.h"
#include "fixture.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "fsutil.h"
#include "md.h"
#include "template.h"

#include <stdlib.h>

#ifndef BRIEFGEN_DATADIR
#error "the Makefile passes BRIEFGEN_DATADIR: the shipped lua/ folder"
#endif

static const char *T;
static char *lua_dir; /* the shipped lua/: the engine under test */

struct theme {
	char *dir;
	struct config cfg;
	struct urls urls;
	struct words words;
	struct content ct;
	struct tpl *t;
	char *diags;  /* what tpl_new said, one line each, T/ cut off */
};

static char *print_diags(struct diag_list *dl)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	diag_print(dl, f, 0);
	fclose(f);
	for (char *at; (at = strstr(mem, T));)
		memmove(at, at + strlen(T) + 1, strlen(at + strlen(T) + 1) + 1);
	diag_release(dl);
	return mem;
}

/* A theme under T/<name>/templates: base.html, 404.html and i18n/en.lua as
 * given (NULL: a minimal one; en "" : none), plus `more` files "rel\0text\0...\0". */
static void theme(struct theme *th, const char *name, const char *base, const char *page404, const char *en,
		  const char *const *more)
{
	th->dir = fix_fmt("%s/%s/templates", T, name);
	fix_write(th->dir, "base.html", base ? base : "<%- content %>");
	fix_write(th->dir, "404.html", page404 ? page404 : "404");
	if (!en || *en) /* "": no strings at all */
		fix_write(th->dir, "i18n/en.lua", en ? en : "return { hello = 'Hello', minutes = '{1} min',\n"
			  "  date_format = '{4} {3}, {1}', month_names = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov December' }\n");
	for (const char *const *m = more; m && *m; m += 2)
		fix_write(th->dir, m[0], m[1]);
	char *content = fix_fmt("%s/%s/content", T, name);
	fix_mkdir(content, "briefs");
	fix_write(content, "site.lua", "return { base_url = 'https://example.org/briefs/', "
		  "languages = { { code = 'en', title = 'Briefs & <Notes>' }, { code = 'zh', hreflang = 'zh-Hant' } } }\n");
	struct diag_list dl = DIAG_LIST_INIT;
	if (config_load(&th->cfg, content, &dl) < 0)
		abort();
	urls_init(&th->urls, &th->cfg);
	if (content_scan(&th->ct, &th->cfg, &th->urls, content, 0, NULL, 0, &dl) < 0)
		abort();
	int wr = words_load(&th->words, th->dir, &th->cfg, &dl);
	th->t = wr < 0 ? NULL : tpl_new(th->dir, lua_dir, &th->cfg, &th->urls, &th->words, &th->ct, &dl);
	th->diags = print_diags(&dl);
	free(content);
}

static void theme_free(struct theme *th)
{
	tpl_free(th->t);
	content_release(&th->ct);
	words_release(&th->words);
	urls_release(&th->urls);
	config_release(&th->cfg);
	free(th->dir);
	free(th->diags);
}

/* The 404 page of a theme in language lang; *diags gets what it said. */
static char *render404(struct theme *th, size_t lang, char **diags)
{
	struct buf out = BUF_INIT;
	struct diag_list dl = DIAG_LIST_INIT;
	int r = tpl_render_special(th->t, "404", lang, &out, &dl);
	*diags = print_diags(&dl);
	if (r < 0) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}

/* A theme whose 404.html is src must fail to compile with exactly want. */
static void compile_error(const char *name, const char *src, const char *want)
{
	struct theme th;
	theme(&th, name, NULL, src, NULL, NULL);
	OK(th.t == NULL, "compile %s: tpl_new fails", name);
	STR_EQ(th.diags, want, "compile %s: the diagnostic", name);
	theme_free(&th);
}

static void test_compile_errors(void)
{
	compile_error("unclosed", "line 1\nline 2\n<%= page.kind\n",
		      "unclosed/templates/404.html:3: error: '<%' is never closed with '%>'\n");
	compile_error("syntax", "a\n<% if page.kind then %>\nb\n",
		      "syntax/templates/404.html:4: error: 'end' expected (to close 'if' at line 2) near <eof>\n");
	compile_error("badexpr", "a\nb\n<%= page.kind + %>\n",
		      "badexpr/templates/404.html:3: error: unexpected symbol near ')'\n");
	struct theme th;
	theme(&th, "noi18n", NULL, NULL, "", NULL);
	OK(th.t == NULL, "i18n: a theme without interface strings fails");
	STR_EQ(th.diags,
	       "noi18n/templates/i18n/en.lua: error: cannot read interface strings\n"
	       "noi18n/templates/i18n/en.lua: error: cannot read interface strings\n",
	       "i18n: said for each language (zh looks for en.lua when it has no zh.lua)");
	theme_free(&th);
	theme(&th, "badi18n", NULL, NULL, "return 'strings'\n", NULL);
	OK(th.t == NULL, "i18n: a chunk that returns no table fails");
	STR_EQ(th.diags,
	       "badi18n/templates/i18n/en.lua: error: must return a table of strings\n"
	       "badi18n/templates/i18n/en.lua: error: must return a table of strings\n",
	       "i18n: said for each language that uses it (zh falls back to en)");
	theme_free(&th);
}

static void runtime_error(const char *name, const char *src, const char *want)
{
	struct theme th;
	theme(&th, name, NULL, src, NULL, NULL);
	char *d, *html = th.t ? render404(&th, 0, &d) : NULL;
	OK(th.t && html == NULL, "runtime %s: the render fails", name);
	STR_EQ(th.t ? d : NULL, want, "runtime %s: the diagnostic", name);
	if (th.t)
		free(d);
	free(html);
	theme_free(&th);
}

static void test_runtime_errors(void)
{
	runtime_error("unknown", "ok\n<%= page.kind %>\n<%= pgae.kind %>\n",
		      "unknown/templates/404.html:3: error: unknown template variable 'pgae'\n");
	runtime_error("unknownfn", "\n<%- partial('partials/none') %>\n",
		      "unknownfn/templates/404.html:2: error: no template 'partials/none'\n");
	runtime_error("table", "<%= site.languages %>\n",
		      "table/templates/404.html:1: error: cannot print a table value\n");
	runtime_error("nostring", "<%= t('no_such_key') %>\n",
		      "nostring/templates/404.html:1: error: no 'en' text for 'no_such_key'\n");
}

static void test_output(void)
{
	const char *more[] = {
		"partials/item.html", "<li><%= name %>|<%= page.kind %></li>\n",
		"taxonomy.html", "t",
		NULL,
	};
	const char *src =
		"<%= '<a href=\"x\">Tom & Jerry\\'s</a>' %>\n"
		"<%- '<b>raw</b>' %>\n"
		"<%- json('a\"<\\n\\\\\u00e9') %>|<%- json(nil) %>|<%- json(2) %>\n"
		"<%- escape('>x&') %>|<%= #escape('a\\0<') %>|<%= 'plain' %>|<%= \"'\" %>\n"
		"[<%= nil %>][<%= false %>][<%= 42 %>][<%= 1.5 %>][<%= true %>]\n"
		"<% for i = 1, 2 do %>\n"
		"  <% if i == 2 then %>\n"
		"line <%= i %>\n"
		"  <% end %>\n"
		"<% end %>\n"
		"<% local x = 'scratch' %><%= x %>\n"
		"<%- partial('partials/item', { name = 'a<b' }) %>"
		"<%= t('hello') %> <%= t('minutes', 3) %>\n"
		"<%= site.title %>|<%= lang.code %>|<%= lang.hreflang %>|<%= page.url %>|<%= page.kind %>\n"
		"<%= url('/en/') %> <%= abs_url('/en/x/') %> <%= url('https://other.example/') %>\n"
		"<%= format_date('2024-12-13T00:00:00Z', 'en') %> <%= format_date('2024-12-13', 'zh') %>\n"
		"<% for _, tr in ipairs(translations) do %><%= tr.code %>:<%= tr.url %>:<%= tostring(tr.current) %> <% end %>\n";
	struct theme th;
	theme(&th, "output", "<main>\n<%- content %></main>\n", src, NULL, more);
	OK(th.t != NULL, "output: the theme compiles");
	STR_EQ(th.diags, "", "output: nothing said");
	char *d, *html = th.t ? render404(&th, 0, &d) : NULL;
	STR_EQ(html,
	       "<main>\n"
	       "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;\n"
	       "<b>raw</b>\n"
	       "\"a\\u0022\\u003c\\u000a\\u005c\u00e9\"|\"\"|\"2\"\n"
	       "&gt;x&amp;|6|plain|&#39;\n"
	       "[][][42][1.5][true]\n"
	       "line 2\n"
	       "scratch\n"
	       "<li>a&lt;b|404</li>\n"
	       "Hello 3 min\n"
	       "Briefs &amp; &lt;Notes&gt;|en|en|/404.html|404\n"
	       "/briefs/en/ https://example.org/briefs/en/x/ https://other.example/\n"
	       /* the theme has no zh strings: English words, English dates */
	       "December 13, 2024 December 13, 2024\n"
	       "en:/en/:true zh:/zh/:false \n"
	       "</main>\n",
	       "output: escaping, raw output, statement lines, partials, strings, helpers, layout");
	if (th.t)
		free(d);
	free(html);
	OK(th.t && tpl_has(th.t, "taxonomy") && tpl_has(th.t, "partials/item") && !tpl_has(th.t, "home"),
	   "has: the templates the theme holds");
	char **used = th.t ? tpl_take_used(th.t) : NULL;
	struct buf u = BUF_INIT;
	for (char **k = used; k && *k; k++)
		buf_addf(&u, "%s|", *k);
	STR_EQ(u.ptr, "404|base|partials/item|", "used: the page, the layout and the partial, sorted");
	buf_release(&u);
	fs_list_free(used);
	OK(th.t && tpl_take_used(th.t) == NULL, "used: the record starts again empty");
	theme_free(&th);

	char **keys, **paths;
	char *dir = fix_fmt("%s/output/templates", T);
	tpl_sources(dir, &keys, &paths);
	struct buf k = BUF_INIT;
	for (size_t i = 0; keys[i]; i++)
		buf_addf(&k, "%s=%s|", keys[i], paths[i] + strlen(dir) + 1);
	STR_EQ(k.ptr, "404=404.html|base=base.html|taxonomy=taxonomy.html|partials/item=partials/item.html|",
	       "sources: top-level templates sorted, then partials");
	buf_release(&k);
	fs_list_free(keys);
	fs_list_free(paths);
	free(dir);
}

static void test_brief(void)
{
	struct theme th;
	const char *more[] = {
		"brief.html",
		"<h1><%= page.title %></h1>\n<%- page.content %>"
		"<%= page.params.custom %>|<%= page.date_iso %>|<%= page.reading_minutes %>|<%= page.summary %>\n"
		"<% for _, c in ipairs(page.category_links) do %><%= c.name %>=<%= c.url %> <% end %>\n"
		"<% for _, tr in ipairs(translations) do %><%= tr.code %>:<%= tostring(tr.exists) %>:<%= tr.url %> <% end %>\n",
		NULL,
	};
	theme(&th, "brief", NULL, NULL, NULL, more);
	/* a brief in English only, scanned like a build does */
	fix_write(T, "brief/content/briefs/2024-12-13-b/en.md",
		  "---\ntitle: Tom & <Jerry>\ncustom: value <x>\ncategories: [AI & Chips]\n---\nBody.\n");
	content_release(&th.ct);
	struct diag_list dl = DIAG_LIST_INIT;
	char *content = fix_fmt("%s/brief/content", T);
	content_scan(&th.ct, &th.cfg, &th.urls, content, 0, NULL, 0, &dl);
	diag_release(&dl);
	free(content);
	struct page *pg = th.ct.n ? th.ct.briefs[0]->pages[0] : NULL;
	OK(pg != NULL, "brief: scanned");
	if (pg && th.t) {
		pg->html_blob = blob_new("<p>Body &amp; more.</p>\n", strlen("<p>Body &amp; more.</p>\n"));
		pg->html = pg->html_blob->data;
		pg->summary = strdup("Body & more.");
		pg->reading_minutes = 3;
		struct buf out = BUF_INIT;
		INT_EQ(tpl_render_brief(th.t, th.ct.briefs[0], 0, &out, &dl), 0, "brief: renders");
		STR_EQ(out.ptr,
		       "<h1>Tom &amp; &lt;Jerry&gt;</h1>\n<p>Body &amp; more.</p>\n"
		       "value &lt;x&gt;|2024-12-13T00:00:00Z|3|Body &amp; more.\n"
		       "AI &amp; Chips=/en/categories/ai-chips/ \n"
		       "en:true:/en/briefs/b/ zh:false:/zh/ \n",
		       "brief: title escaped, body raw, front matter, date, summary, categories, translations");
		buf_release(&out);
		diag_release(&dl);
	}
	theme_free(&th);
}

int main(void)
{
	md_global_init();
	char *tmp = fix_tmpdir();
	T = tmp;
	lua_dir = fix_fmt("%s/lua", BRIEFGEN_DATADIR);
	test_compile_errors();
	test_runtime_errors();
	test_output();
	test_brief();
	free(lua_dir);
	fix_cleanup(tmp);
	return harness_done();
}
