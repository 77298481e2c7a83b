/* langtag — BCP 47 tags: syntax (RFC 5646 section 2.1), case, og:locale. */
#include "langtag.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "banned.h"

enum { SUB_MAX = 8 };

static int all(const char *s, size_t n, int (*is)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The kinds of subtag in the order a tag may hold them. */
enum part { LANGUAGE, EXTLANG, SCRIPT, REGION, VARIANT, EXTENSION, PRIVATE };

/* What the subtag s[0..n) is after a subtag of kind prev (extlangs: how
 * many so far), or -1 when it can be nothing there. */
static int classify(const char *s, size_t n, int prev, int extlangs)
{
	int alpha = all(s, n, isalpha), digit = all(s, n, isdigit), alnum = all(s, n, isalnum);
	if (prev == PRIVATE)
		return n >= 1 && alnum ? PRIVATE : -1;
	if (prev == EXTENSION || (n == 1 && alnum)) /* a singleton starts an extension or private use */
		return n == 1 ? ((s[0] | 0x20) == 'x' ? PRIVATE : EXTENSION) : n >= 2 && alnum ? EXTENSION : -1;
	if (prev == LANGUAGE && n == 3 && alpha && extlangs < 3)
		return EXTLANG;
	if (prev == EXTLANG && n == 3 && alpha && extlangs < 3)
		return EXTLANG;
	if (prev <= EXTLANG && n == 4 && alpha)
		return SCRIPT;
	if (prev <= SCRIPT && ((n == 2 && alpha) || (n == 3 && digit)))
		return REGION;
	if ((n >= 5 && alnum) || (n == 4 && isdigit((unsigned char)s[0]) && alnum))
		return VARIANT;
	return -1;
}

const char *langtag_problem(const char *tag)
{
	if (!tag || !*tag)
		return "is empty";
	if (strchr(tag, '_'))
		return "joins its subtags with '_'; BCP 47 joins them with '-'";
	for (const char *p = tag; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return "may hold only ASCII letters, digits and '-'";
	int prev = -1, extlangs = 0, first = 1, singleton = 0;
	const char *s = tag;
	for (;;) {
		size_t n = strcspn(s, "-");
		if (n == 0)
			return "has an empty subtag (two '-' together, or one at an end)";
		if (n > SUB_MAX)
			return "has a subtag longer than 8 characters";
		if (first) {
			if (n == 1 && (s[0] | 0x20) == 'x')
				prev = PRIVATE;
			else if (n == 1 && (s[0] | 0x20) == 'i')
				prev = EXTENSION; /* i-klingon and the like: irregular, let through */
			else if (all(s, n, isalpha) && n >= 2)
				prev = LANGUAGE;
			else
				return "does not start with a language (two or three letters, such as 'en' or 'zh')";
			first = 0;
		} else {
			int k = classify(s, n, prev, extlangs);
			if (k < 0)
				return "has a subtag out of place: a tag is language[-script][-region][-variant…], "
				       "such as 'zh-Hant-TW' or 'en-GB'";
			if (k == EXTLANG)
				extlangs++;
			singleton = n == 1 && prev != PRIVATE; /* it must be followed by a subtag */
			prev = k;
		}
		if (!s[n])
			break;
		s += n + 1;
	}
	if (singleton || (first == 0 && prev == PRIVATE && strlen(tag) == 1))
		return "ends with a single-character subtag, which must be followed by more";
	return NULL;
}

char *langtag_canon(const char *tag)
{
	char *out = xstrdup(tag);
	int after_singleton = 0;
	size_t i = 0;
	for (char *s = out;; i++) {
		size_t n = strcspn(s, "-");
		for (size_t k = 0; k < n; k++)
			s[k] = (char)tolower((unsigned char)s[k]);
		if (i > 0 && !after_singleton) {
			if (n == 1)
				after_singleton = 1;
			else if (n == 4 && all(s, n, isalpha))
				s[0] = (char)toupper((unsigned char)s[0]);
			else if (n == 2 && all(s, n, isalpha))
				s[0] = (char)toupper((unsigned char)s[0]), s[1] = (char)toupper((unsigned char)s[1]);
		} else if (i == 0 && n == 1) {
			after_singleton = 1;
		}
		if (!s[n])
			break;
		s += n + 1;
	}
	return out;
}

void langtag_primary(const char *tag, char out[9])
{
	size_t n = strcspn(tag, "-");
	if (n < 2 || n > SUB_MAX || !all(tag, n, isalpha))
		n = 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)tag[i]);
	out[n] = 0;
}

/* The territory a language's readers are usually in, as Open Graph's
 * locales name them; languages not listed get their language alone. */
static const char *const usual[][2] = {
	{ "ar", "AR" }, { "de", "DE" }, { "en", "US" }, { "es", "ES" }, { "fr", "FR" }, { "he", "IL" },
	{ "hi", "IN" }, { "id", "ID" }, { "it", "IT" }, { "ja", "JP" }, { "ko", "KR" }, { "nl", "NL" },
	{ "pl", "PL" }, { "pt", "BR" }, { "ru", "RU" }, { "sv", "SE" }, { "th", "TH" }, { "tr", "TR" },
	{ "uk", "UA" }, { "vi", "VN" }, { "zh", "CN" },
};

char *langtag_og_locale(const char *tag)
{
	char lang[9];
	langtag_primary(tag, lang);
	if (!*lang)
		return xstrdup("en_US");
	const char *region = NULL, *script = NULL;
	char *canon = langtag_canon(tag);
	size_t i = 0;
	for (char *s = canon;; i++) {
		size_t n = strcspn(s, "-");
		if (i > 0 && n == 1)
			break;
		if (i > 0 && n == 4 && !script && !region)
			script = s;
		else if (i > 0 && n == 2 && isalpha((unsigned char)s[0]) && !region)
			region = s;
		else if (i > 0 && n == 3 && isdigit((unsigned char)s[0]) && !region)
			region = ""; /* a UN M.49 area ("419"): no one territory */
		if (!s[n])
			break;
		s[n] = 0;
		s += n + 1;
	}
	char *out;
	if (region && *region)
		out = xasprintf("%s_%s", lang, region);
	else if (region)
		out = xstrdup(lang);
	else if (!strcmp(lang, "zh") && script && !strcmp(script, "Hant"))
		out = xstrdup("zh_TW");
	else {
		out = NULL;
		for (size_t k = 0; k < sizeof usual / sizeof *usual && !out; k++)
			if (!strcmp(usual[k][0], lang))
				out = xasprintf("%s_%s", lang, usual[k][1]);
		if (!out)
			out = xstrdup(lang);
	}
	free(canon);
	return out;
}

/* Endonyms of the languages people most often publish briefs in. */
static const char *const names[][2] = {
	{ "ar", "العربية" }, { "de", "Deutsch" }, { "en", "English" }, { "es", "Español" },
	{ "fr", "Français" }, { "hi", "हिन्दी" }, { "id", "Bahasa Indonesia" }, { "it", "Italiano" },
	{ "ja", "日本語" }, { "ko", "한국어" }, { "nl", "Nederlands" }, { "pt", "Português" },
	{ "ru", "Русский" }, { "th", "ไทย" }, { "tr", "Türkçe" }, { "vi", "Tiếng Việt" }, { "zh", "中文" },
};

const char *langtag_name(const char *tag)
{
	char lang[9];
	langtag_primary(tag, lang);
	for (size_t k = 0; k < sizeof names / sizeof *names; k++)
		if (!strcmp(names[k][0], lang))
			return names[k][1];
	return tag;
}
