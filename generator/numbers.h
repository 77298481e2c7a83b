/* numbers — stage 4's data product: a brief's evaluated model as
 * briefs/<slug>/numbers.json (jsonout.h): every value sorted by name with its
 * label per language, formula, inputs, value in its display unit, unit,
 * dimensions, display text per language, where it is defined, and the pages
 * citing it. */
#ifndef GEN_NUMBERS_H
#define GEN_NUMBERS_H
#include "buf.h"
#include "calceval.h"
#include "config.h"
#include "content.h"

/* Appends the JSON text (and a final newline) to out. File paths are kept
 * from "content/" on, so the bytes do not depend on where the build ran. */
void numbers_json(const struct calc_model *m, const struct brief *b, const struct config *cfg,
		  struct buf *out);

/* A brief's model as the rows numbers.csv gives it, appended to out: made
 * once per brief where it renders, on the worker threads. */
void numbers_csv(const struct calc_model *m, const struct brief *b, const struct config *cfg, struct buf *out);

struct sink;
/* The whole site's values, every brief's numbers.json in one: numbers.json
 * ({"site": base URL, "briefs": [each brief's document]}) and numbers.csv
 * (one row per value: brief, name, kind, value, unit, dimensions, formula,
 * inputs, a label and a display text per language, assumption, source URL,
 * place and quote, file, line). The CSV is RFC 4180 (CRLF, quoted when
 * needed) with a UTF-8 byte order mark, which spreadsheets need to read
 * Chinese as UTF-8 (docs/outputs.md). Written whatever the site holds: a
 * site without calc blocks gets the headers and no rows. Where briefs keep
 * their numbers.json bytes (the preview), each brief's part of the site's
 * file is made once and kept on it (brief.numbers_part, freed with it), so
 * that after an edit the file is copied together, not made again. */
int numbers_site(const struct config *cfg, struct content *ct, struct sink *out, struct diag_list *dl);

#endif
