/* serve: how the preview server maps a request path to a file. The
 * resolver (resolve() in serve.c) is static, so this starts a real server
 * through the public API on a free loopback port, publishes a set of files
 * made here in memory (as a preview build makes them), and sends raw
 * HTTP/1.0 requests over a socket: the request target reaches the server
 * byte for byte, with no client tidying "..", "//" or "%2e" away. Each
 * answer: status, Location, body. Every socket has a receive limit so a
 * hang fails instead of stalling the suite. */
#include "harness.h"
#include "fixture.h"
#include "diag.h"
#include "serve.h"
#include "sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

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

/* A set of files as a build puts them: pairs of path and text, NULL-ended. */
static struct sitefiles *files_of(const char *const *pairs)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct sink *k = sink_new_memory("preview", NULL);
	for (const char *const *p = pairs; *p; p += 2)
		if (sink_put(k, p[0], p[1], strlen(p[1]), "test", &dl) < 0)
			abort();
	sink_finish(k, &dl);
	struct sitefiles *f = sink_take_files(k);
	sink_free(k);
	diag_release(&dl);
	return f;
}

int main(void)
{
	static const char *const site_files[] = {
		"index.html", "root index\n", "404.html", "site 404\n", "a.txt", "a\n",
		"en/index.html", "en index\n", "en/briefs/x/index.html", "brief x\n",
		"dir x/index.html", "spaced\n", "中文/index.html", "zh\n", "%00", "percent zero zero\n",
		"sub/file.txt", "sub file\n", "noindex/other.txt", "no index here\n",
		"folder.html/index.html/x", "a folder where the index file should be\n", NULL,
	};
	struct sitefiles *site = files_of(site_files);

	struct diag_list dl = DIAG_LIST_INIT;
	struct serve_opts o = { NULL, 0, 0 };
	struct server *srv = server_start(&o, &dl);
	OK(srv != NULL && dl.n == 0, "start: on a free loopback port, nothing said");
	if (!srv) {
		sitefiles_unref(site);
		return harness_done();
	}
	sscanf(server_url(srv), "http://127.0.0.1:%d/", &port);
	OK(port > 0, "start: the URL names the real port");
	get("/briefs/a.txt", 404, NULL, "nothing is served before the first publish");
	server_publish(srv, site, "/briefs/");
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
	static const char *const bare_files[] = { "index.html", "bare\n", NULL };
	struct sitefiles *bare = files_of(bare_files);
	server_publish(srv, bare, "/");
	sitefiles_unref(bare);
	get("/", 200, "bare\n", "base '/': the root is the index");
	request("GET", "/missing", &r);
	INT_EQ(r.status, 404, "no 404.html: still 404");
	OK(r.body && strstr(r.body, "<h1>404 Not Found</h1>"), "no 404.html: the built-in page");
	free(r.body);
	get("/a.txt", 404, NULL, "the set served before is gone");
	server_stop(srv);
	sitefiles_unref(site);
	diag_release(&dl);
	return harness_done();
}
