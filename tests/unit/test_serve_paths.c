/* serve: how the preview server maps a request path to a file. The
 * resolver (resolve() in serve.c) is static, so this starts a real server
 * through the public API on a free loopback port, publishes a folder made
 * here, and sends raw HTTP/1.0 requests over a socket: the request target
 * reaches the server byte for byte, with no client tidying "..", "//" or
 * "%2e" away. Each answer: status, Location, body. Every socket has a
 * receive limit so a hang fails instead of stalling the suite. */
#include "harness.h"
#include "fixture.h"
#include "diag.h"
#include "serve.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *T;
static int port;

struct reply {
	int status;
	char location[512];
	char *body;
};

/* Sends "METHOD target HTTP/1.0" and reads the answer to the end. */
static void request(const char *method, const char *target, struct reply *r)
{
	memset(r, 0, sizeof *r);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = { 20, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return;
	}
	char *req = fix_fmt("%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", method, target);
	if (write(fd, req, strlen(req)) < 0)
		r->status = -1;
	free(req);
	size_t n = 0, cap = 4096;
	char *all = malloc(cap);
	for (ssize_t got; (got = read(fd, all + n, cap - n - 1)) > 0;) {
		n += (size_t)got;
		if (n + 1 == cap)
			all = realloc(all, cap *= 2);
	}
	close(fd);
	all[n] = '\0';
	sscanf(all, "HTTP/1.%*d %d", &r->status);
	char *loc = strstr(all, "\r\nLocation: ");
	if (loc)
		sscanf(loc + 12, "%511[^\r]", r->location);
	char *body = strstr(all, "\r\n\r\n");
	r->body = strdup(body ? body + 4 : "");
	free(all);
}

static void get(const char *target, int status, const char *body_or_location, const char *name)
{
	struct reply r;
	request("GET", target, &r);
	INT_EQ(r.status, status, "GET %s: status (%s)", target, name);
	if (status == 302)
		STR_EQ(r.location, body_or_location, "GET %s: Location", target);
	else if (body_or_location)
		STR_EQ(r.body, body_or_location, "GET %s: body", target);
	free(r.body);
}

int main(void)
{
	char *tmp = fix_tmpdir();
	T = tmp;
	fix_write(T, "outside/secret.txt", "secret\n");
	fix_write(T, "site/index.html", "root index\n");
	fix_write(T, "site/404.html", "site 404\n");
	fix_write(T, "site/a.txt", "a\n");
	fix_write(T, "site/en/index.html", "en index\n");
	fix_write(T, "site/en/briefs/x/index.html", "brief x\n");
	fix_write(T, "site/dir x/index.html", "spaced\n");
	fix_write(T, "site/中文/index.html", "zh\n");
	fix_write(T, "site/%00", "percent zero zero\n");
	fix_write(T, "site/sub/file.txt", "sub file\n");
	fix_mkdir(T, "site/noindex");
	fix_mkdir(T, "site/folder.html/index.html"); /* a folder where the index file should be */
	fix_symlink("a.txt", T, "site/link-in.txt");
	fix_symlink("../outside/secret.txt", T, "site/link-out.txt");
	fix_symlink("en", T, "site/link-dir");
	char *fifo = fix_fmt("%s/site/fifo.txt", T);
	if (mkfifo(fifo, 0600) < 0)
		abort();
	free(fifo);

	struct diag_list dl = DIAG_LIST_INIT;
	struct serve_opts o = { NULL, 0, 0 };
	struct server *srv = server_start(&o, &dl);
	OK(srv != NULL && dl.n == 0, "start: on a free loopback port, nothing said");
	if (!srv) {
		fix_cleanup(tmp);
		return harness_done();
	}
	sscanf(server_url(srv), "http://127.0.0.1:%d/", &port);
	OK(port > 0, "start: the URL names the real port");
	get("/briefs/a.txt", 404, NULL, "nothing is served before the first publish");
	char *site = fix_fmt("%s/site", T), *old = (char *)1;
	INT_EQ(server_publish(srv, site, "/briefs/", &old, &dl), 0, "publish: the folder");
	OK(old == NULL, "publish: nothing served before");

	get("/briefs/a.txt", 200, "a\n", "a file");
	get("/briefs/", 200, "root index\n", "the base is the folder's index");
	get("/briefs/en/", 200, "en index\n", "a folder with a slash: its index.html");
	get("/briefs/en/briefs/x/index.html", 200, "brief x\n", "a file three folders down");
	get("/briefs/en", 302, "/briefs/en/", "a folder without the slash is redirected");
	get("/briefs/en/briefs/x", 302, "/briefs/en/briefs/x/", "... also deeper");
	get("/", 302, "/briefs/", "the server's root leads to the base");
	get("/briefs", 302, "/briefs/", "the base without its slash");
	get("/briefs//a.txt", 200, "a\n", "an empty segment is skipped");
	get("/briefs/dir%20x/", 200, "spaced\n", "a %-encoded space");
	get("/briefs/dir%20x", 302, "/briefs/dir%20x/", "the redirect encodes the space again");
	get("/briefs/%E4%B8%AD%E6%96%87/", 200, "zh\n", "a %-encoded UTF-8 name");
	get("/briefs/%E4%B8%AD%E6%96%87", 302, "/briefs/%E4%B8%AD%E6%96%87/", "its redirect stays encoded");
	get("/briefs/sub%2Ffile.txt", 200, "sub file\n", "%2F is a separator once decoded, still inside");
	get("/briefs/%2500", 200, "percent zero zero\n", "%25 decodes to '%'");

	/* everything else is the site's 404 page */
	get("/briefs/missing.txt", 404, "site 404\n", "a missing file: the site's 404.html");
	get("/elsewhere/a.txt", 404, "site 404\n", "outside the base");
	get("/a.txt", 404, "site 404\n", "a file asked for without the base");
	get("/briefs/a.txt/", 404, "site 404\n", "a file asked for as a folder");
	get("/briefs/a.txt/x", 404, "site 404\n", "below a file");
	get("/briefs/noindex/", 404, "site 404\n", "a folder without index.html");
	get("/briefs/folder.html/", 404, "site 404\n", "index.html that is a folder");
	get("/briefs/link-in.txt", 404, "site 404\n", "a link, even to a file inside");
	get("/briefs/link-out.txt", 404, "site 404\n", "a link to a file outside");
	get("/briefs/link-dir/", 404, "site 404\n", "a link to a folder inside");
	get("/briefs/link-dir/index.html", 404, "site 404\n", "a file through a linked folder");
	get("/briefs/fifo.txt", 404, "site 404\n", "a FIFO (answered at once, never waited on)");
	get("/briefs/../outside/secret.txt", 404, "site 404\n", "'..'");
	get("/briefs/en/../a.txt", 404, "site 404\n", "'..' that would stay inside");
	get("/briefs/./a.txt", 404, "site 404\n", "'.'");
	get("/briefs/%2e%2e/outside/secret.txt", 404, "site 404\n", "%-encoded '..'");
	get("/briefs/%2E%2E%2Foutside%2Fsecret.txt", 404, "site 404\n", "%-encoded '../' all through");
	get("/briefs/.%2e/outside/secret.txt", 404, "site 404\n", "half-encoded '..'");
	get("/briefs/a.txt%00.html", 404, "site 404\n", "%00 is not decoded: no NUL cuts the name");
	get("/briefs/en%00/", 404, "site 404\n", "%00 in a folder name");
	get("briefs/a.txt", 404, "site 404\n", "a target without a leading '/'");
	struct reply r;
	request("HEAD", "/briefs/a.txt", &r);
	INT_EQ(r.status, 200, "HEAD: answered like GET");
	STR_EQ(r.body, "", "HEAD: without a body");
	free(r.body);
	request("POST", "/briefs/a.txt", &r);
	INT_EQ(r.status, 405, "POST: not allowed");
	free(r.body);

	/* a site without 404.html gets the built-in page */
	char *bare = fix_fmt("%s/bare", T);
	fix_write(T, "bare/index.html", "bare\n");
	INT_EQ(server_publish(srv, bare, "/", &old, &dl), 0, "publish: a second folder at '/'");
	STR_EQ(old, site, "publish: the folder served before is handed back");
	free(old);
	get("/", 200, "bare\n", "base '/': the root is the index");
	request("GET", "/missing", &r);
	INT_EQ(r.status, 404, "no 404.html: still 404");
	OK(r.body && strstr(r.body, "<h1>404 Not Found</h1>"), "no 404.html: the built-in page");
	free(r.body);
	INT_EQ(server_publish(srv, "/nonexistent/folder", "/", &old, &dl), -1, "publish: a folder that cannot be opened");
	char *d = dl.n ? diag_format(&dl.items[0]) : NULL;
	STR_EQ(d, "/nonexistent/folder: error: cannot open: No such file or directory", "publish: the diagnostic");
	free(d);
	get("/", 200, "bare\n", "publish failed: the previous folder is still served");
	char *last = server_stop(srv);
	STR_EQ(last, bare, "stop: hands back the folder being served");
	free(last);
	free(bare);
	free(site);
	diag_release(&dl);
	fix_cleanup(tmp);
	return harness_done();
}
