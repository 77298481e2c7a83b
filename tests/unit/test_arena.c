/* arena: pieces from four threads at once are aligned, apart from each
 * other (each keeps the pattern written into it), and a piece larger than
 * a chunk is whole. Under AddressSanitizer a piece overrunning its chunk,
 * and under LeakSanitizer a chunk arena_free left, would be reported. */
#include "harness.h"
#include "arena.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PIECES 4000

struct job {
	struct arena *a;
	unsigned char *p[PIECES];
	size_t n[PIECES];
	int seed;
};

static void *fill(void *arg)
{
	struct job *j = arg;
	unsigned r = (unsigned)j->seed;
	for (int i = 0; i < PIECES; i++) {
		r = r * 1103515245u + 12345u;
		j->n[i] = 1 + (r >> 8) % 3000; /* odd sizes: the next piece must still be aligned */
		j->p[i] = arena_alloc(j->a, j->n[i]);
		memset(j->p[i], (j->seed * 31 + i) & 0xff, j->n[i]);
	}
	return NULL;
}

int main(void)
{
	struct arena *a = arena_new();
	struct job jobs[4];
	pthread_t t[4];
	for (int k = 0; k < 4; k++) {
		jobs[k].a = a;
		jobs[k].seed = k + 1;
		pthread_create(&t[k], NULL, fill, &jobs[k]);
	}
	for (int k = 0; k < 4; k++)
		pthread_join(t[k], NULL);
	int aligned = 1, kept = 1;
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < PIECES; i++) {
			aligned &= ((uintptr_t)jobs[k].p[i] % 16) == 0;
			for (size_t b = 0; b < jobs[k].n[i]; b++)
				kept &= jobs[k].p[i][b] == ((jobs[k].seed * 31 + i) & 0xff);
		}
	OK(aligned, "every piece is 16-byte aligned");
	OK(kept, "16 000 pieces made by four threads at once keep what was written: none overlaps another");
	size_t big = (size_t)5 << 20; /* two and a half chunks */
	unsigned char *p = arena_alloc(a, big);
	memset(p, 0x5a, big);
	OK(p[0] == 0x5a && p[big - 1] == 0x5a, "a piece larger than a chunk is whole");
	unsigned char *q = arena_alloc(a, 64);
	memset(q, 0xa5, 64);
	OK(p[big - 1] == 0x5a && q[0] == 0xa5, "and the piece after it is apart from it");
	arena_free(a); /* LeakSanitizer (the asan run) reports what it would leave */
	arena_free(NULL);
	return harness_done();
}
