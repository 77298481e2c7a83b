/* serve — the preview HTTP server (libmicrohttpd, one thread per
 * connection). Serves one build at a time, from memory: the caller builds
 * a set of files (struct sitefiles, sink.h) and hands it over with
 * server_publish(), or reports a failed build with server_fail(). In live
 * mode every HTML page gets a small script, injected at serve time (the
 * built bytes are never changed), that listens on /__briefgen/events
 * (server-sent events): "reload" after a good build, "failed" with the
 * diagnostics after a bad one, shown as an overlay.
 *
 * Requests are looked up in the set: ".", ".." and NUL in a segment are
 * 404, a folder without a trailing slash redirects, with one it serves its
 * index.html. Nothing outside the set can be reached: there is no file
 * system under the server.
 *
 * Only requests whose Host names this server (localhost, 127.0.0.1, [::1],
 * the bound address) are answered (DNS rebinding); connections are capped in
 * all and per address, silent ones closed after 15 s, and at most 256 event
 * streams are open (a new one ends the oldest). docs/serve.md has the table.
 *
 * No global state: everything lives in struct server, guarded by its locks.
 * Library rules: errors go to the diagnostic list, nothing is printed. */
#ifndef GEN_SERVE_H
#define GEN_SERVE_H
#include "diag.h"

struct serve_opts {
	const char *bind; /* address or host name; NULL: 127.0.0.1 */
	int port;         /* 0: a free port chosen by the kernel */
	int live;         /* inject the live-reload script, serve the event stream */
};

struct server;

/* Listens and starts answering (404 until the first server_publish()).
 * Returns NULL with an error in dl when the address cannot be used; adds a
 * warning when the address is not a loopback one. */
struct server *server_start(const struct serve_opts *o, struct diag_list *dl);
/* "http://127.0.0.1:8080/"; the real port when the options asked for 0. */
const char *server_url(const struct server *srv);
/* From now on serve files (a reference is taken), whose pages expect to
 * live under base_path ("/" or "/briefs/"), and tell open pages to reload.
 * The previous set is released once no request uses it. */
struct sitefiles;
void server_publish(struct server *srv, struct sitefiles *files, const char *base_path);
/* The last build failed: keep serving the last good folder, and show the
 * errors and warnings of dl in every open and newly opened page. */
void server_fail(struct server *srv, const struct diag_list *dl);
/* Ends open event streams, stops the daemon, frees srv. */
void server_stop(struct server *srv);

#endif
