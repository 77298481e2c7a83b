/* jsonout: documents written with it and with jansson's json_dumps, the
 * way numbers.json and the search index were written before it, are the
 * same bytes: nesting, empty containers, keys, string escapes, integers,
 * booleans and reals at the precisions briefgen uses (15, and jansson's
 * default 17), including reals drawn at random over the whole range. */
#include "harness.h"
#include "buf.h"
#include "jsonout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char *const strings[] = {
	"", "plain", "quote \" and backslash \\", "controls \b\f\n\r\t \x01\x1f end", "\x7f kept",
	"slash / kept", "中文 UTF-8 and emoji \xf0\x9f\x93\x88", "<script>&amp;</script>",
};

static const double reals[] = {
	0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.45, 3e4, 123456789012345.0, 1e15, 1e16, 1e17, 1e20, 1e21,
	1.5e300, 1e-5, 1e-7, 2.5e-300, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 1.0 / 3.0,
	-2.75e-12, 9007199254740993.0, 700.0, 1764.0, 4.0e5,
};

/* One document in both writers: an object of every kind of value, an
 * array of the strings, nested and empty containers. */
static void document(int indent, int precision)
{
	json_t *root = json_object();
	struct buf b = BUF_INIT;
	struct jsonout w;
	jsonout_init(&w, &b, indent, precision);
	jsonout_object(&w);

	json_t *arr = json_array();
	jsonout_key(&w, "strings");
	jsonout_array(&w);
	for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
		json_array_append_new(arr, json_string(strings[i]));
		jsonout_string(&w, strings[i]);
	}
	jsonout_end(&w);
	json_object_set_new(root, "strings", arr);

	json_t *keys = json_object();
	jsonout_key(&w, "keys");
	jsonout_object(&w);
	for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
		json_object_set_new(keys, strings[i], json_integer((json_int_t)i - 3));
		jsonout_key(&w, strings[i]);
		jsonout_int(&w, (long long)i - 3);
	}
	jsonout_end(&w);
	json_object_set_new(root, "keys", keys);

	json_t *nums = json_array();
	jsonout_key(&w, "reals");
	jsonout_array(&w);
	for (size_t i = 0; i < sizeof reals / sizeof *reals; i++) {
		json_array_append_new(nums, json_real(reals[i]));
		jsonout_real(&w, reals[i]);
	}
	srand(8);
	for (int i = 0; i < 2000; i++) { /* any bit pattern that is a finite double */
		unsigned long long bits = 0;
		for (int k = 0; k < 4; k++)
			bits = bits << 16 | (unsigned long long)(rand() & 0xffff);
		double d;
		memcpy(&d, &bits, sizeof d);
		if (!isfinite(d))
			continue;
		json_array_append_new(nums, json_real(d));
		jsonout_real(&w, d);
	}
	jsonout_end(&w);
	json_object_set_new(root, "reals", nums);

	json_object_set_new(root, "empty_array", json_array());
	jsonout_key(&w, "empty_array");
	jsonout_array(&w);
	jsonout_end(&w);
	json_object_set_new(root, "empty_object", json_object());
	jsonout_key(&w, "empty_object");
	jsonout_object(&w);
	jsonout_end(&w);

	json_t *deep = json_array(), *inner = json_object();
	json_object_set_new(inner, "yes", json_true());
	json_object_set_new(inner, "no", json_false());
	json_t *list = json_array(), *one = json_array();
	json_array_append_new(one, json_integer(1));
	json_array_append_new(list, json_array());
	json_array_append_new(list, json_object());
	json_array_append_new(list, one);
	json_object_set_new(inner, "list", list);
	json_array_append_new(deep, inner);
	json_array_append_new(deep, json_array());
	json_object_set_new(root, "deep", deep);
	jsonout_key(&w, "deep");
	jsonout_array(&w);
	jsonout_object(&w);
	jsonout_key(&w, "yes");
	jsonout_bool(&w, 1);
	jsonout_key(&w, "no");
	jsonout_bool(&w, 0);
	jsonout_key(&w, "list");
	jsonout_array(&w);
	jsonout_array(&w);
	jsonout_end(&w);
	jsonout_object(&w);
	jsonout_end(&w);
	jsonout_array(&w);
	jsonout_int(&w, 1);
	jsonout_end(&w);
	jsonout_end(&w);
	jsonout_end(&w);
	jsonout_array(&w);
	jsonout_end(&w);
	jsonout_end(&w);

	jsonout_end(&w);
	INT_EQ(w.depth, 0, "every container closed (indent %d)", indent);
	char *want = json_dumps(root, JSON_INDENT(indent) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(precision));
	OK(want != NULL, "jansson dumps the document");
	STR_EQ(b.ptr, want ? want : "", "indent %d, precision %d: the same bytes as jansson", indent, precision);
	free(want);
	json_decref(root);
	buf_release(&b);
}

static void test_quote(void)
{
	for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
		json_t *s = json_string(strings[i]);
		char *want = json_dumps(s, JSON_ENCODE_ANY);
		struct buf b = BUF_INIT;
		jsonout_quote(&b, strings[i]);
		STR_EQ(b.ptr, want, "quote: string %zu as jansson writes it", i);
		buf_release(&b);
		free(want);
		json_decref(s);
	}
}

int main(void)
{
	document(2, 15);
	document(2, 17);
	document(4, 15);
	document(0, 15);
	test_quote();
	return harness_done();
}
