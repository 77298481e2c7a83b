/* diag — the one error type: a position (file:line:col) and a message.
 * Library code appends diagnostics to a list and returns -1; only main
 * prints them. Messages are lowercase, without a full stop, and name the
 * subject in quotes (git's error() rules). */
#ifndef GEN_DIAG_H
#define GEN_DIAG_H
#include <stdio.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct srcpos {
	const char *file; /* borrowed: must outlive the diagnostic list */
	int line;         /* 1-based; 0 when the problem is the whole file */
	int col;          /* 1-based; 0 when unknown */
};

struct diag {
	enum diag_level level;
	char *file; /* owned copy of the position's file name */
	int line, col;
	char *msg;  /* owned */
	int again;  /* reported before for the same unchanged input (the preview says it once) */
};

struct diag_list {
	struct diag *items;
	size_t n, cap;
	size_t errors, warnings;
};

#define DIAG_LIST_INIT { NULL, 0, 0, 0, 0 }

/* Appends an error and returns -1, so callers can `return diag_error(...)`. */
int diag_error(struct diag_list *dl, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag_list *dl, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct diag_list *dl, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_add(struct diag_list *dl, enum diag_level lv, struct srcpos pos, const char *msg);
/* Marks the diagnostics from index `from` on as said before (struct diag). */
void diag_mark_again(struct diag_list *dl, size_t from);
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void diag_move(struct diag_list *dst, struct diag_list *src);
/* Writes "file:line:col: error: msg" lines; colour only when asked. File
 * names and messages carry text from content (slugs, titles, folder names,
 * link text), so what reaches the terminal is made visible: C0 controls,
 * DEL and C1 controls become \n, \t, \r, \x1B, \u009B; bytes that are not
 * UTF-8 become \xFF; valid UTF-8 text is written as it is. */
void diag_print(const struct diag_list *dl, FILE *f, int colour);
/* As diag_print, but of the diagnostics that say the same thing (the same
 * level and message once the quoted parts, 'like this', are set aside)
 * only the first `keep` are printed, the last of them followed by
 * "note: ... and N more like this; --verbose lists all". Notes (what the
 * build decided by itself, e.g. a page's language from its script) are
 * left out. keep 0 prints all, notes too (--verbose). */
void diag_print_summary(const struct diag_list *dl, FILE *f, int colour, size_t keep);
/* One diagnostic as a line of text (no newline), escaped as diag_print
 * does; caller frees. */
char *diag_format(const struct diag *d);
void diag_release(struct diag_list *dl);

struct buf;
/* Appends s to b escaped as diag_print does, for commands that print
 * content in messages of their own. */
void diag_escape(struct buf *b, const char *s);

#endif
