/* outputs — feeds, sitemap, robots.txt, link check. */
#include "outputs.h"

int outputs_write(struct site *s)
{
	(void)s;
	return 0;
}
