/* strmap: put/find, many keys across growth, keys copied, sorted keys. */
#include "harness.h"
#include "strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void test_basic(void)
{
	struct strmap m = STRMAP_INIT;
	OK(strmap_find(&m, "x") == NULL, "empty: find in a map never grown");
	const char **keys = strmap_sorted_keys(&m);
	OK(keys && keys[0] == NULL, "empty: no keys");
	free(keys);

	char key[8] = "zh";
	int added = -1;
	struct strmap_slot *s = strmap_put(&m, key, &added);
	OK(added == 1 && s && s->value == NULL && !strcmp(s->key, "zh"), "put: a new key, value NULL");
	s->value = &m;
	strcpy(key, "en");
	OK(strmap_find(&m, "zh") && strmap_find(&m, "zh")->value == &m, "put: the key is the map's own copy");
	s = strmap_put(&m, "zh", &added);
	OK(added == 0 && s->value == &m, "put: an existing key keeps its value");
	s = strmap_put(&m, "", NULL);
	OK(s && !strcmp(s->key, ""), "put: the empty string is a key; added is optional");
	OK(strmap_find(&m, "") != NULL && strmap_find(&m, "z") == NULL && strmap_find(&m, "zh ") == NULL,
	   "find: exact keys only");
	INT_EQ((long long)m.n, 2, "count: two keys");
	strmap_release(&m);
	OK(m.n == 0 && m.cap == 0 && m.slots == NULL, "release: the map is empty again");
	OK(strmap_find(&m, "zh") == NULL, "release: nothing found after");
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b); /* elements are char[16] */
}

static void test_many(void)
{
	struct strmap m = STRMAP_INIT;
	enum { N = 5000 };
	static char names[N][16];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "k%d", (i * 7919) % N);
		int added;
		struct strmap_slot *s = strmap_put(&m, names[i], &added);
		if (!added)
			printf("# %s added twice\n", names[i]);
		s->value = names[i];
	}
	INT_EQ((long long)m.n, N, "many: every key counted once");
	OK(m.cap >= 2 * m.n && (m.cap & (m.cap - 1)) == 0, "many: at most half full, a power of two");
	int found = 1;
	for (int i = 0; i < N; i++) {
		struct strmap_slot *s = strmap_find(&m, names[i]);
		if (!s || s->value != names[i])
			found = 0;
	}
	OK(found, "many: every key finds its own value after growing");
	OK(strmap_find(&m, "k5000") == NULL && strmap_find(&m, "k") == NULL, "many: absent keys are absent");
	for (int i = 0; i < N; i++)
		strmap_put(&m, names[i], NULL);
	INT_EQ((long long)m.n, N, "many: putting them again adds nothing");

	const char **keys = strmap_sorted_keys(&m);
	qsort(names, N, sizeof names[0], cmp_name);
	int sorted = 1;
	size_t k = 0;
	for (; keys[k]; k++)
		if (k >= N || strcmp(keys[k], names[k]))
			sorted = 0;
	OK(sorted && k == N, "sorted keys: all of them, in strcmp order");
	OK(k && keys[0] == strmap_find(&m, keys[0])->key, "sorted keys: borrowed from the map");
	free(keys);
	strmap_release(&m);
}

/* Deletion shifts keys back instead of leaving tombstones: after a long
 * run of random puts and deletes, every key present is found, every key
 * deleted is not, and the count is right. */
static void test_delete(void)
{
	struct strmap m = STRMAP_INIT;
	enum { N = 2000 };
	static char present[N];
	unsigned x = 12345;
	int wrong = 0;
	for (int step = 0; step < 50000; step++) {
		x = x * 1103515245u + 12345u;
		int k = (int)((x >> 8) % N);
		char key[48];
		snprintf(key, sizeof key, "en/briefs/%d/index.html", k);
		if ((x >> 20) & 1) {
			strmap_put(&m, key, NULL)->value = (void *)(intptr_t)(k + 1);
			present[k] = 1;
		} else {
			void *v = NULL;
			int had = strmap_del(&m, key, &v);
			wrong += had != present[k] || (had && v != (void *)(intptr_t)(k + 1));
			present[k] = 0;
		}
	}
	size_t count = 0;
	for (int k = 0; k < N; k++) {
		char key[48];
		snprintf(key, sizeof key, "en/briefs/%d/index.html", k);
		struct strmap_slot *s = strmap_find(&m, key);
		wrong += !!s != present[k] || (s && s->value != (void *)(intptr_t)(k + 1));
		count += present[k];
	}
	INT_EQ(wrong, 0, "delete: 50000 random puts and deletes agree with a plain array");
	INT_EQ(m.n, count, "delete: the count");
	INT_EQ(strmap_del(&m, "absent", NULL), 0, "delete: an absent key");
	strmap_release(&m);
}

/* A borrowing map keeps the caller's pointers: no copy to free (ASan would
 * see a leak or a double free if it copied or freed them). */
static void test_borrowed(void)
{
	char a[] = "alpha", b[] = "beta";
	struct strmap m = STRMAP_BORROWED;
	strmap_put(&m, a, NULL)->value = b;
	strmap_put(&m, b, NULL);
	struct strmap_slot *s = strmap_find(&m, "alpha");
	INT_EQ(s && s->key == a, 1, "borrowed: the key is the caller's pointer");
	INT_EQ(strmap_find_n(&m, "alphabet", 5) == s, 1, "find_n: a prefix of a longer string finds its key");
	INT_EQ(strmap_find_n(&m, "alphabet", 4) == NULL, 1, "find_n: a shorter prefix is another key");
	INT_EQ(strmap_find_n(&m, "alphabet", 8) == NULL, 1, "find_n: the whole string is another key");
	INT_EQ(strmap_del(&m, "beta", NULL), 1, "borrowed: a key is deleted");
	INT_EQ(strmap_find(&m, "beta") == NULL, 1, "borrowed: and gone");
	strmap_release(&m);
	INT_EQ(m.borrowed, 1, "borrowed: still borrowing after release");
	strmap_put(&m, a, NULL);
	INT_EQ(m.n, 1, "borrowed: usable again after release");
	strmap_release(&m);
}

int main(void)
{
	test_borrowed();
	test_basic();
	test_many();
	test_delete();
	return harness_done();
}
