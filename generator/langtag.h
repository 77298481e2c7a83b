/* langtag — BCP 47 language tags (RFC 5646) as site.lua names its
 * languages: whether a tag is well formed, its conventional case, its
 * primary language, and the locale Open Graph wants for it. Only the
 * syntax is checked; no registry of subtags is consulted, so a well-formed
 * tag for a language briefgen has no words for is accepted (its pages get
 * English interface words, see words.h). */
#ifndef GEN_LANGTAG_H
#define GEN_LANGTAG_H

/* Why tag is not a well-formed language tag, or NULL. A static string. */
const char *langtag_problem(const char *tag);
/* tag in the case RFC 5646 recommends: "zh-hant-tw" -> "zh-Hant-TW",
 * "EN-us" -> "en-US". tag must be well formed. The caller frees. */
char *langtag_canon(const char *tag);
/* The primary language subtag, lowercased ("zh" of "zh-Hant-TW"), in out;
 * "" when there is none (a private-use tag). */
void langtag_primary(const char *tag, char out[9]);
/* og:locale for a well-formed tag: language_TERRITORY ("zh-Hant" ->
 * "zh_TW", "zh-CN" -> "zh_CN", "en" -> "en_US", "en-GB" -> "en_GB"); the
 * language alone when no territory is stated or usual. The caller frees. */
char *langtag_og_locale(const char *tag);

/* The language's own name for itself, for a language switcher ("中文",
 * "English", "日本語"), from the primary language; the tag itself for a
 * language not listed. Static, or tag. */
const char *langtag_name(const char *tag);

#endif
