/* harness — a tiny TAP-like test harness (cmark's api_test style). Each
 * check prints "ok - name" or "not ok - name: detail"; main returns
 * harness_done(), non-zero when anything failed. */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H
#include <stdio.h>
#include <string.h>

static int harness_failed;

#define OK(cond, ...) do { \
	if (cond) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { harness_failed++; printf("not ok - "); printf(__VA_ARGS__); \
	       printf(": %s (%s:%d)\n", #cond, __FILE__, __LINE__); } \
} while (0)

#define INT_EQ(got, want, ...) do { long long g_ = (got), w_ = (want); \
	if (g_ == w_) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { harness_failed++; printf("not ok - "); printf(__VA_ARGS__); \
	       printf(": got %lld, want %lld (%s:%d)\n", g_, w_, __FILE__, __LINE__); } \
} while (0)

#define STR_EQ(got, want, ...) do { const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && !strcmp(g_, w_)) { printf("ok - "); printf(__VA_ARGS__); printf("\n"); } \
	else { harness_failed++; printf("not ok - "); printf(__VA_ARGS__); \
	       printf(": got \"%s\", want \"%s\" (%s:%d)\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)", \
		      __FILE__, __LINE__); } \
} while (0)

static inline int harness_done(void)
{
	return harness_failed ? 1 : 0;
}

#endif
