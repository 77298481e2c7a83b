/* cmd_calc — `briefgen calc [ROOT] BRIEF [name=value …] [--lang CODE]`: a
 * brief's model as a table (name, label, value as published), for authors.
 * Inputs given on the command line replace the brief's own (a formula, or a
 * bare number in the unit the input is shown in); everything runs through
 * the build's own engine (calceval.h), so what it prints is what a page
 * would show for those inputs. Exit 1 when the brief or an input is wrong. */
#include "calc.h"
#include "calceval.h"
#include "calcrender.h"
#include "cmd.h"
#include "config.h"
#include "content.h"
#include "cites.h"
#include "render.h"
#include "fsutil.h"
#include "md.h"
#include "site.h"
#include "urls.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

static const char usage[] = "usage: briefgen calc [ROOT] BRIEF [name=value ...] [--lang CODE]\n";

/* Columns a terminal gives the text: CJK and full-width characters two. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w += *p >= 0xE1 ? 2 : 1;
	return w;
}

static void cell(const char *s, size_t w, int last)
{
	fputs(s, stdout);
	if (!last)
		for (size_t n = width(s); n < w + 2; n++)
			putchar(' ');
}

/* The brief named arg: its entry in content/briefs ("2024-12-13-x"), its
 * slug ("x"), or a path to its folder or one of its files. */
static struct brief *find(const struct content *ct, const char *arg)
{
	char *a = xstrdup(arg);
	size_t n = strlen(a);
	while (n > 1 && a[n - 1] == '/')
		a[--n] = '\0';
	const char *base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
	struct brief *hit = NULL;
	for (size_t i = 0; i < ct->n && !hit; i++) {
		struct brief *b = ct->briefs[i];
		if ((b->entry && !strcmp(b->entry, base)) || !strcmp(b->slug, base) || (b->name && !strcmp(b->name, base)))
			hit = b;
		for (size_t l = 0; l < ct->nlangs && !hit; l++)
			if (b->pages[l] && (!strcmp(b->pages[l]->file, a) || !strcmp(b->pages[l]->file, arg)))
				hit = b;
	}
	if (!hit && strrchr(a, '/')) { /* ".../2024-12-13-x/en.md": the folder */
		*strrchr(a, '/') = '\0';
		base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;
		for (size_t i = 0; i < ct->n && !hit; i++)
			if (ct->briefs[i]->entry && !strcmp(ct->briefs[i]->entry, base))
				hit = ct->briefs[i];
	}
	free(a);
	return hit;
}

/* The values of the briefs b cites, directly or not, evaluated in the order
 * a build renders them (cites.h): b's model is the one a build publishes.
 * The plan's complaints about other briefs are not this command's. */
static int cited_values(struct content *ct, struct brief *b, const struct config *cfg, struct calc_engine *e,
			struct diag_list *dl)
{
	struct cites_plan plan = { 0 };
	struct diag_list said = DIAG_LIST_INIT;
	cites_plan(ct, &plan, &said);
	char *want = xcalloc(ct->n + 1, 1);
	size_t *queue = xcalloc(ct->n + 1, sizeof *queue), nq = 0;
	want[b->index] = 1;
	queue[nq++] = b->index;
	for (size_t q = 0; q < nq; q++)
		for (size_t c = 0; c < ct->briefs[queue[q]]->ncites; c++) {
			const struct brief *t = ct->briefs[queue[q]]->cites[c].target;
			if (t && !want[t->index]) {
				want[t->index] = 1;
				queue[nq++] = t->index;
			}
		}
	int r = 0;
	for (size_t i = 0; i < said.n; i++)
		for (size_t k = 0; k < nq; k++)
			for (size_t l = 0; l < cfg->nlangs; l++) {
				const struct page *p = ct->briefs[queue[k]]->pages[l];
				const struct diag *d = &said.items[i];
				if (p && d->file && !strcmp(p->file, d->file)) {
					diag_add(dl, d->level, (struct srcpos){ d->file, d->line, d->col }, d->msg);
					r = -1;
				}
			}
	for (size_t k = 0; r == 0 && nq > 1 && k < plan.start[plan.nlevels]; k++) {
		struct brief *t = ct->briefs[plan.order[k]];
		if (t != b && want[t->index] && render_exports(t, cfg, e, dl) < 0)
			r = -1;
	}
	free(want);
	free(queue);
	diag_release(&said);
	cites_plan_release(&plan);
	return r;
}

int cmd_calc(int argc, char **argv, const struct cmd_env *env)
{
	const char *pos[2] = { NULL, NULL }, *lang = NULL;
	size_t npos = 0, nov = 0;
	struct calc_override *ov = xcalloc((size_t)argc + 1, sizeof *ov);
	char **owned = xcalloc((size_t)argc + 1, sizeof *owned);
	int status = 0;
	for (int i = 1; i < argc && !status; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
			lang = argv[++i];
		} else if (!strncmp(argv[i], "--lang=", 7)) {
			lang = argv[i] + 7;
		} else if (argv[i][0] == '-') {
			fputs(usage, !strcmp(argv[i], "--help") ? stdout : stderr);
			status = !strcmp(argv[i], "--help") ? 0 : EXIT_USAGE;
			if (!status)
				goto done;
		} else if (eq && eq > argv[i]) {
			owned[nov] = xstrndup(argv[i], (size_t)(eq - argv[i]));
			ov[nov] = (struct calc_override){ owned[nov], eq + 1, { "command line", 0, 0 } };
			nov++;
		} else if (npos < 2) {
			pos[npos++] = argv[i];
		} else {
			fputs(usage, stderr);
			status = EXIT_USAGE;
		}
	}
	if (!status && npos == 0) {
		fputs(usage, stderr);
		status = EXIT_USAGE;
	}
	if (status)
		goto done;
	const char *root = npos == 2 ? pos[0] : ".", *name = pos[npos - 1];

	struct diag_list dl = DIAG_LIST_INIT;
	struct config cfg;
	struct urls u;
	struct content ct = { 0 };
	char *content_dir = !strcmp(root, ".") ? xstrdup("content") : fs_join(root, "content");
	char *lua_dir = site_pick_dir(root, env->datadir, "lua", "calc.lua", &dl);
	int have_cfg = 0, have_ct = 0;
	status = EXIT_CONTENT;
	if (!fs_is_dir(content_dir)) {
		diag_error(&dl, (struct srcpos){ content_dir, 0, 0 }, "no content folder here");
		goto report;
	}
	if (config_load(&cfg, content_dir, &dl) < 0)
		goto report;
	have_cfg = 1;
	size_t li = 0;
	if (lang) {
		for (li = 0; li < cfg.nlangs && strcmp(cfg.langs[li].code, lang); li++)
			;
		if (li == cfg.nlangs) {
			diag_error(&dl, (struct srcpos){ "command line", 0, 0 }, "--lang %s: this site's languages are %s%s%s",
				   lang, cfg.langs[0].code, cfg.nlangs > 1 ? " and " : "", cfg.nlangs > 1 ? cfg.langs[1].code : "");
			goto report;
		}
	}
	urls_init(&u, &cfg);
	have_ct = 1;
	struct diag_list scan = DIAG_LIST_INIT; /* other briefs' problems are not this command's */
	content_scan(&ct, &cfg, &u, content_dir, 1, NULL, 1, &scan);
	struct brief *b = find(&ct, name);
	if (!b) {
		for (size_t i = 0; i < scan.n; i++)
			if (strstr(scan.items[i].file ? scan.items[i].file : "", name))
				diag_add(&dl, scan.items[i].level,
					 (struct srcpos){ scan.items[i].file, scan.items[i].line, scan.items[i].col },
					 scan.items[i].msg);
		diag_release(&scan);
		diag_error(&dl, (struct srcpos){ "command line", 0, 0 },
			   "no brief '%s' in %s/briefs (give its folder name or its slug)", name, content_dir);
		goto report;
	}
	diag_release(&scan);
	struct calc_engine *e = calc_engine_new(lua_dir);
	if (cited_values(&ct, b, &cfg, e, &dl) < 0) {
		calc_engine_free(e);
		goto report;
	}
	struct md_doc **docs = xcalloc(cfg.nlangs, sizeof *docs);
	for (size_t l = 0; l < cfg.nlangs; l++)
		if (b->pages[l])
			docs[l] = md_parse(b->pages[l]->body, b->pages[l]->body_len, b->pages[l]->body_line, NULL);
	struct calc_source src = { 0 };
	struct calc_model *m = NULL;
	if (calc_collect(&src, docs, b->pages, cfg.nlangs, &dl) == 0) {
		calc_source_model_only(&src);
		if (b->ncites)
			cites_resolve(&src, b);
		if (!calc_source_any(&src))
			diag_error(&dl, (struct srcpos){ b->pages[li] ? b->pages[li]->file : b->name, 0, 0 },
				   "this brief has no calc block");
		else
			m = calc_eval_with(e, &src, &cfg, ov, nov, &dl);
	}
	if (m) {
		const char *head[3] = { "name", "label", "value" };
		size_t w[2] = { strlen(head[0]), strlen(head[1]) };
		for (size_t i = 0; i < m->nvalues; i++) {
			const struct calc_value *v = &m->values[i];
			size_t nw = width(v->name) + 2;
			if (nw > w[0])
				w[0] = nw;
			if (width(v->label[li]) > w[1])
				w[1] = width(v->label[li]);
		}
		cell(head[0], w[0], 0), cell(head[1], w[1], 0), cell(head[2], 0, 1), putchar('\n');
		for (size_t i = 0; i < m->nvalues; i++) {
			const struct calc_value *v = &m->values[i];
			int given = 0;
			for (size_t k = 0; k < nov; k++)
				given |= !strcmp(ov[k].name, v->name);
			char *n = xasprintf("%s%s", v->name, given ? " *" : "");
			cell(n, w[0], 0), cell(v->label[li], w[1], 0), cell(calcrender_shown(&src, m, li, v), 0, 1), putchar('\n');
			free(n);
		}
		if (nov)
			printf("\n* given on the command line\n");
		status = 0;
	}
	calc_model_free(m);
	calc_engine_free(e);
	calc_source_release(&src);
	for (size_t l = 0; l < cfg.nlangs; l++)
		md_free(docs[l]);
	free(docs);
report:
	diag_print(&dl, stderr, env->colour);
	diag_release(&dl);
	if (have_ct) {
		content_release(&ct);
		urls_release(&u);
	}
	if (have_cfg)
		config_release(&cfg);
	free(content_dir);
	free(lua_dir);
done:
	for (size_t i = 0; i < nov; i++)
		free(owned[i]);
	free(owned);
	free(ov);
	return status;
}
