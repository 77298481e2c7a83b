/* utf8 — validation and classification (RFC 3629). */
#include "utf8.h"

#include <stdint.h>
#include <string.h>
#include "banned.h"

size_t utf8_invalid_at(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned min;
		if (c < 0x80) {
			/* a run of ASCII, eight bytes at a time */
			for (i++; i + 8 <= n; i += 8) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080u)
					break;
			}
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, min = 0x10000;
		} else {
			return i;
		}
		if (i + len > n)
			return i;
		unsigned cp = c & (0x7F >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += len;
	}
	return (size_t)-1;
}

unsigned utf8_decode(const char *str, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0];
	size_t l = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
	if (l > n)
		l = n;
	unsigned cp = l == 1 ? c : c & (0x7F >> l);
	for (size_t k = 1; k < l; k++)
		cp = (cp << 6) | (s[k] & 0x3F);
	*len = l;
	return cp;
}

void utf8_advance(const char *s, size_t n, int *line, int *col)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			++*line, *col = 1;
		else if (((unsigned char)s[i] & 0xC0) != 0x80)
			++*col;
	}
}

size_t utf8_encode(unsigned cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
