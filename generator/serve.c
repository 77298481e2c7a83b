/* serve — the preview HTTP server; see serve.h for what it promises.
 *
 * Threads: libmicrohttpd runs one listening thread and one thread per
 * connection, so an event stream that waits for the next build never holds
 * up other requests. Two locks in struct server:
 *   files_lock (mutex)  the served set of files: held only to take a
 *                       reference to the set (and the blobs a request
 *                       sends keep their own), so server_publish() swaps
 *                       sets at once whatever requests are running.
 *   ev_lock (mutex)     the build state the event streams report, with a
 *                       condition variable they wait on. */
#include "serve.h"
#include "blob.h"
#include "buf.h"
#include "sink.h"
#include "xalloc.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "banned.h"

#define EVENTS_PATH "/__briefgen/events"
#define PING_SECONDS 5             /* a comment line on idle event streams finds gone clients */
#define INJECT_MAX (32u << 20)     /* larger HTML files are sent as they are */
/* Limits, so that no client can lock the others out (every connection is a
 * thread). A connection that neither sends nor receives for IDLE_SECONDS is
 * closed: an idle keep-alive, a request sent half, a reader that stopped
 * reading. Event streams send a ping more often than that. */
#define IDLE_SECONDS (3 * PING_SECONDS)
#define MAX_CONNECTIONS 1000u      /* in all; fewer when descriptors are short */
#define FD_RESERVE 128u            /* descriptors kept for builds and the watcher */
#define MAX_STREAMS 256u           /* open event streams; a new one ends the oldest */

struct server {
	struct MHD_Daemon *daemon;
	char *url;
	int live;
	char instance[32]; /* tells this run's pages from an earlier run's */

	pthread_mutex_t files_lock;
	struct sitefiles *files; /* what is served; NULL before the first good build */
	char *base_path;  /* "/" or "/briefs/": where the pages expect to live */

	pthread_mutex_t ev_lock;
	pthread_cond_t ev_cond;
	unsigned long seq;  /* one more for every build outcome */
	unsigned long good; /* good builds so far */
	char *failure;      /* diagnostics of the last build when it failed, else NULL */
	int stopping;
	struct stream *oldest, *newest; /* open event streams, in the order they came */
	size_t nstreams;

	/* what a Host header may name (DNS rebinding: see host_ok) */
	char *bind_host;    /* --bind as given, or "127.0.0.1" */
	char addr[64];      /* the bound address, numeric */
	int port;           /* the real port */
	int any_addr;       /* bound to 0.0.0.0 or ::, so any address of the machine */
};

/* ---- MIME types ------------------------------------------------------- */

static const struct {
	const char *ext, *type;
} mime_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/x-icon" },
	{ "json", "application/json" },
	{ "map", "application/json" },
	{ "xml", "application/xml" },
	{ "atom", "application/atom+xml" },
	{ "rss", "application/rss+xml" },
	{ "woff2", "font/woff2" },
	{ "woff", "font/woff" },
	{ "ttf", "font/ttf" },
	{ "otf", "font/otf" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "md", "text/markdown; charset=utf-8" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
};

static const char *mime_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && dot != name)
		for (size_t i = 0; i < sizeof mime_types / sizeof *mime_types; i++)
			if (!strcasecmp(dot + 1, mime_types[i].ext))
				return mime_types[i].type;
	return "application/octet-stream";
}

static int is_html(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"));
}

/* ---- the live-reload snippet ------------------------------------------ */

#define OVERLAY_STYLE                                                                          \
	"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em;"        \
	"background:rgba(50,0,0,.97);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,"    \
	"monospace;text-align:left"
/* the site's own CSS must not restyle the message */
#define PRE_STYLE                                                                              \
	"margin:1em 0 0;padding:1em;border:1px solid #f88;border-radius:4px;background:#000;"  \
	"color:#fff;font:inherit;white-space:pre-wrap;overflow-wrap:anywhere"
#define OVERLAY_TITLE "briefgen: the build failed; these pages are from the last good build"

/* Reloads when a build finishes (or when it connects and the server has
 * built since this page was served, or is a new run), shows the overlay
 * when one fails. No "%" in it but the token's. */
#define LIVE_JS                                                                                \
	"(function(){var t=\"%s-%lu\",o=document.getElementById(\"__briefgen_overlay\");"      \
	"function show(x){if(!o){o=document.createElement(\"div\");o.id=\"__briefgen_overlay\";" \
	"o.setAttribute(\"style\",\"" OVERLAY_STYLE "\");document.body.appendChild(o)}"         \
	"o.textContent=\"\";var h=document.createElement(\"strong\"),p=document.createElement(\"pre\");" \
	"h.textContent=\"" OVERLAY_TITLE "\";p.setAttribute(\"style\",\"" PRE_STYLE "\");"     \
	"p.textContent=x;"                                                                       \
	"o.append(h,p)}"                                                                         \
	"var s=new EventSource(\"" EVENTS_PATH "\");"                                           \
	"s.addEventListener(\"hello\",function(e){if(e.data!==t){s.close();location.reload()}});" \
	"s.addEventListener(\"reload\",function(){s.close();location.reload()});"               \
	"s.addEventListener(\"failed\",function(e){show(e.data)});"                            \
	"s.addEventListener(\"bye\",function(){s.close()})})();"

static void add_live(struct server *srv, struct buf *b)
{
	pthread_mutex_lock(&srv->ev_lock);
	unsigned long good = srv->good;
	char *failure = srv->failure ? xstrdup(srv->failure) : NULL;
	pthread_mutex_unlock(&srv->ev_lock);
	buf_adds(b, "<!--briefgen-live-->");
	if (failure) {
		buf_adds(b, "<div id=\"__briefgen_overlay\" style=\"" OVERLAY_STYLE "\"><strong>"
			 OVERLAY_TITLE "</strong><pre style=\"" PRE_STYLE "\">");
		buf_add_html(b, failure, strlen(failure));
		buf_adds(b, "</pre></div>");
		free(failure);
	}
	buf_adds(b, "<script>");
	buf_addf(b, LIVE_JS, srv->instance, good);
	buf_adds(b, "</script><!--/briefgen-live-->");
}

/* Puts the snippet before the last </body>, or at the end. */
static void inject(struct server *srv, struct buf *page)
{
	static const char tag[] = "</body>";
	size_t tl = sizeof tag - 1, at = page->len;
	for (size_t i = page->len >= tl ? page->len - tl + 1 : 0; i-- > 0;)
		if (!strncasecmp(page->ptr + i, tag, tl)) {
			at = i;
			break;
		}
	struct buf out = BUF_INIT;
	buf_grow(&out, page->len + 4096);
	buf_add(&out, page->ptr, at);
	add_live(srv, &out);
	buf_add(&out, page->ptr + at, page->len - at);
	buf_release(page);
	*page = out;
}

/* ---- responses -------------------------------------------------------- */

static void common_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	/* a preview must never show a stale page */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static enum MHD_Result queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	if (!r)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Sends b (taking its bytes). */
static enum MHD_Result reply_buf(struct MHD_Connection *c, unsigned status, const char *type,
				 struct buf *b, const char *hname, const char *hvalue)
{
	size_t len;
	char *p = buf_detach(b, &len);
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(len, p, free);
	if (!r) {
		free(p);
		return MHD_NO;
	}
	common_headers(r, type);
	if (hname)
		MHD_add_response_header(r, hname, hvalue);
	return queue(c, status, r);
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text,
				  const char *hname, const char *hvalue)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, text);
	return reply_buf(c, status, "text/plain; charset=utf-8", &b, hname, hvalue);
}


/* ---- finding the file ------------------------------------------------- */

/* Appends s percent-encoded, '/' kept. */
static void add_url_escaped(struct buf *b, const char *s, size_t n)
{
	static const char keep[] = "-._~!$&'()*+,;=:@/";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    (ch && strchr(keep, ch)))
			buf_addch(b, (char)ch);
		else
			buf_addf(b, "%%%02X", ch);
	}
}

enum found { FOUND_FILE, FOUND_REDIRECT, FOUND_NONE };

struct hit {
	struct blob *blob;       /* a reference, with FOUND_FILE */
	char name[NAME_MAX + 1]; /* the file's own name, for its type */
	struct buf location;     /* where to redirect */
};

/* Maps the (already %-decoded) request path to a file of the set: only
 * below base, no "." or ".." segment, a file at the end ("index.html" of
 * a folder asked for with a trailing slash, a redirect without one). The
 * set holds only what the build put, so there is nothing else to reach. */
static enum found resolve(const struct sitefiles *files, const char *base, const char *url, struct hit *h)
{
	size_t bl = strlen(base), ul = strlen(url);
	if (url[0] != '/')
		return FOUND_NONE;
	if (strncmp(url, base, bl)) {
		/* "/" and "/briefs" lead to the site's base "/briefs/" */
		if (!strcmp(url, "/") || (ul == bl - 1 && !strncmp(url, base, ul))) {
			add_url_escaped(&h->location, base, bl);
			return FOUND_REDIRECT;
		}
		return FOUND_NONE;
	}
	struct buf rel = BUF_INIT, clean = BUF_INIT;
	add_url_escaped(&clean, base, bl);
	enum found res = FOUND_NONE;
	const char *last = "";
	size_t lastn = 0;
	for (const char *p = url + bl; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0) {
			p++;
			continue;
		}
		if (n > NAME_MAX || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') ||
		    memchr(p, '\0', n))
			goto out;
		if (rel.len)
			buf_addch(&rel, '/');
		buf_add(&rel, p, n);
		last = p, lastn = n;
		p += n;
	}
	int slash = url[ul - 1] == '/';
	int dir = !rel.len || sitefiles_is_dir(files, rel.ptr);
	if (!slash && !dir && (h->blob = blob_ref(sitefiles_get(files, rel.ptr)))) {
		memcpy(h->name, last, lastn);
		h->name[lastn] = '\0';
		res = FOUND_FILE;
	} else if (dir && !slash) {
		add_url_escaped(&clean, rel.ptr, rel.len);
		buf_addch(&clean, '/');
		buf_add(&h->location, clean.ptr, clean.len);
		res = FOUND_REDIRECT;
	} else if (dir) {
		if (rel.len)
			buf_addch(&rel, '/');
		buf_adds(&rel, "index.html");
		if ((h->blob = blob_ref(sitefiles_get(files, rel.ptr)))) {
			memcpy(h->name, "index.html", sizeof "index.html");
			res = FOUND_FILE;
		}
	}
out:
	buf_release(&rel);
	buf_release(&clean);
	return res;
}

static const char fallback_404[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>\n"
	"<body><h1>404 Not Found</h1></body></html>\n";

static enum MHD_Result reply_404(struct server *srv, struct MHD_Connection *c, struct blob *page)
{
	struct buf b = BUF_INIT;
	if (page)
		buf_add(&b, page->data, page->len);
	else
		buf_adds(&b, fallback_404);
	blob_unref(page);
	if (srv->live)
		inject(srv, &b);
	return reply_buf(c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", &b, NULL, NULL);
}

static void unref_blob(void *cls)
{
	blob_unref(cls);
}

static enum MHD_Result reply_path(struct server *srv, struct MHD_Connection *c, const char *url)
{
	struct hit h = { .blob = NULL, .location = BUF_INIT };
	struct blob *page404 = NULL;
	enum found f = FOUND_NONE;
	pthread_mutex_lock(&srv->files_lock);
	struct sitefiles *files = sitefiles_ref(srv->files);
	char *base = files ? xstrdup(srv->base_path) : NULL;
	pthread_mutex_unlock(&srv->files_lock);
	if (files) {
		f = resolve(files, base, url, &h);
		if (f == FOUND_NONE)
			page404 = blob_ref(sitefiles_get(files, "404.html"));
	}
	sitefiles_unref(files); /* the blobs taken outlive it */
	free(base);

	if (f == FOUND_REDIRECT) {
		struct buf body = BUF_INIT;
		buf_adds(&body, "moved to ");
		buf_add(&body, h.location.ptr, h.location.len);
		buf_addch(&body, '\n');
		enum MHD_Result r = reply_buf(c, MHD_HTTP_FOUND, "text/plain; charset=utf-8", &body,
					      MHD_HTTP_HEADER_LOCATION, h.location.ptr);
		buf_release(&h.location);
		return r;
	}
	buf_release(&h.location);
	if (f == FOUND_NONE)
		return reply_404(srv, c, page404);

	const char *type = mime_type(h.name);
	if (srv->live && is_html(h.name) && h.blob->len < INJECT_MAX) {
		struct buf b = BUF_INIT;
		buf_add(&b, h.blob->data, h.blob->len);
		blob_unref(h.blob);
		inject(srv, &b);
		return reply_buf(c, MHD_HTTP_OK, type, &b, NULL, NULL);
	}
	/* the response holds the reference until it is sent */
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(h.blob->len, h.blob->data, unref_blob, h.blob);
	if (!r) {
		blob_unref(h.blob);
		return MHD_NO;
	}
	common_headers(r, type);
	return queue(c, MHD_HTTP_OK, r);
}

/* ---- the event stream ------------------------------------------------- */

struct stream {
	struct server *srv;
	struct buf out;
	size_t off;
	unsigned long seq; /* the build outcome last reported */
	int started;
	/* under srv->ev_lock: */
	struct stream *prev, *next; /* in srv's list while listed */
	int listed;
	int dropped;       /* ended to make room for a newer stream */
	int bye_sent;
};

/* Takes s out of the list of open streams. Caller holds ev_lock. */
static void stream_unlist(struct server *srv, struct stream *s)
{
	if (!s->listed)
		return;
	if (s->prev)
		s->prev->next = s->next;
	else
		srv->oldest = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		srv->newest = s->prev;
	s->prev = s->next = NULL;
	s->listed = 0;
	srv->nstreams--;
}

/* Lists a new stream; at MAX_STREAMS the oldest is told goodbye first, so
 * streams of pages closed long ago (or of a client opening them by the
 * hundred) never keep a new page from reloading. */
static void stream_list(struct server *srv, struct stream *s)
{
	pthread_mutex_lock(&srv->ev_lock);
	if (srv->nstreams >= MAX_STREAMS) {
		struct stream *old = srv->oldest;
		old->dropped = 1;
		stream_unlist(srv, old);
		pthread_cond_broadcast(&srv->ev_cond);
	}
	s->prev = srv->newest;
	if (srv->newest)
		srv->newest->next = s;
	else
		srv->oldest = s;
	srv->newest = s;
	s->listed = 1;
	srv->nstreams++;
	pthread_mutex_unlock(&srv->ev_lock);
}

/* One event; data may hold several lines, each becomes a "data:" field
 * (the browser joins them with newlines). */
static void add_event(struct buf *b, const char *name, const char *data)
{
	buf_addf(b, "event: %s\n", name);
	const char *p = data;
	for (;;) {
		size_t n = strcspn(p, "\r\n");
		buf_adds(b, "data: ");
		buf_add(b, p, n);
		buf_addch(b, '\n');
		if (!p[n])
			break;
		p += n + 1 + (p[n] == '\r' && p[n + 1] == '\n');
	}
	buf_addch(b, '\n');
}

static void add_state_event(struct server *srv, struct buf *b, const char *ok_name)
{
	if (srv->failure) {
		add_event(b, "failed", srv->failure);
	} else {
		char token[64];
		snprintf(token, sizeof token, "%s-%lu", srv->instance, srv->good);
		add_event(b, ok_name, token);
	}
}

/* Waits for the next thing to say; -1 when the server stops. */
static int stream_next(struct stream *s)
{
	struct server *srv = s->srv;
	int r = 0;
	pthread_mutex_lock(&srv->ev_lock);
	if (!s->started) {
		s->started = 1;
		s->seq = srv->seq;
		char token[64];
		snprintf(token, sizeof token, "%s-%lu", srv->instance, srv->good);
		buf_adds(&s->out, "retry: 1000\n\n");
		add_event(&s->out, "hello", token);
		if (srv->failure)
			add_event(&s->out, "failed", srv->failure);
		pthread_mutex_unlock(&srv->ev_lock);
		return 0;
	}
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += PING_SECONDS;
	while (!srv->stopping && !s->dropped && s->seq == srv->seq)
		if (pthread_cond_timedwait(&srv->ev_cond, &srv->ev_lock, &until) == ETIMEDOUT)
			break;
	if (srv->stopping || s->bye_sent) {
		r = -1;
	} else if (s->dropped) {
		/* the page's script closes its EventSource instead of reconnecting */
		add_event(&s->out, "bye", "too many open event streams: this one was the oldest");
		s->bye_sent = 1;
	} else if (s->seq != srv->seq) {
		s->seq = srv->seq;
		add_state_event(srv, &s->out, "reload");
	} else {
		buf_adds(&s->out, ": ping\n\n");
	}
	pthread_mutex_unlock(&srv->ev_lock);
	return r;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct stream *s = cls;
	(void)pos;
	if (s->off >= s->out.len) {
		buf_truncate(&s->out, 0);
		s->off = 0;
		if (stream_next(s) < 0)
			return MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = s->out.len - s->off;
	if (n > max)
		n = max;
	memcpy(dst, s->out.ptr + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	pthread_mutex_lock(&s->srv->ev_lock);
	stream_unlist(s->srv, s);
	pthread_mutex_unlock(&s->srv->ev_lock);
	buf_release(&s->out);
	free(s);
}

static enum MHD_Result reply_events(struct server *srv, struct MHD_Connection *c)
{
	struct stream *s = xcalloc(1, sizeof *s);
	s->srv = srv;
	buf_init(&s->out);
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read,
								   s, stream_free);
	if (!r) {
		stream_free(s);
		return MHD_NO;
	}
	common_headers(r, "text/event-stream; charset=utf-8");
	/* a stream that ends (dropped, server stopping) frees its connection */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	stream_list(srv, s);
	return queue(c, MHD_HTTP_OK, r);
}

/* ---- the daemon ------------------------------------------------------- */

static int hex(char ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0'
	       : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
					: -1;
}

/* libmicrohttpd's own %-decoding, except that "%00" stays as it is: a NUL
 * would cut the path short and serve a page other than the one asked for. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	char *w = s;
	for (const char *r = s; *r;) {
		int hi, lo;
		if (r[0] == '%' && (hi = hex(r[1])) >= 0 && (lo = hex(r[2])) >= 0 && (hi | lo)) {
			*w++ = (char)(hi * 16 + lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* Whether a Host header names this server. DNS rebinding: a page of
 * evil.example whose name is made to resolve to 127.0.0.1 sends its
 * requests here, same-origin for the browser, with "Host: evil.example";
 * answering would let that page read the preview (drafts included). So
 * only names that cannot be rebound are accepted: localhost, 127.0.0.1,
 * [::1], the bound address and --bind as given, each with or without the
 * port; when bound to every address (0.0.0.0, ::), any IP literal. */
static int host_ok(const struct server *srv, const char *host)
{
	if (!host)
		return 1; /* HTTP/1.0; libmicrohttpd refuses HTTP/1.1 without one */
	char name[256];
	const char *end, *port = NULL;
	if (host[0] == '[') {
		end = strchr(host, ']');
		if (!end)
			return 0;
		end++;
		if (*end == ':')
			port = end + 1;
		else if (*end)
			return 0;
	} else {
		end = strchr(host, ':');
		if (end)
			port = end + 1;
		else
			end = host + strlen(host);
	}
	if (port) {
		char *e;
		errno = 0;
		long p = strtol(port, &e, 10);
		if (e == port || *e || errno || p != srv->port || !isdigit((unsigned char)*port))
			return 0;
	}
	size_t n = (size_t)(end - host);
	if (n == 0 || n >= sizeof name)
		return 0;
	memcpy(name, host, n);
	name[n] = '\0';
	char bracketed[sizeof srv->addr + 2];
	snprintf(bracketed, sizeof bracketed, "[%s]", srv->addr);
	const char *const ok[] = { "localhost", "127.0.0.1", "[::1]", srv->bind_host,
				   strchr(srv->addr, ':') ? bracketed : srv->addr };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (!strcasecmp(name, ok[i]))
			return 1;
	if (srv->any_addr) {
		unsigned char a[16];
		if (inet_pton(AF_INET, name, a) == 1)
			return 1;
		if (name[0] == '[' && n > 2) {
			name[n - 1] = '\0';
			return inet_pton(AF_INET6, name + 1, a) == 1;
		}
	}
	return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **req_cls)
{
	struct server *srv = cls;
	(void)version;
	(void)upload_data;
	(void)upload_size;
	if (!host_ok(srv, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST))) {
		char msg[160];
		snprintf(msg, sizeof msg,
			 "briefgen preview: only requests for localhost:%d, 127.0.0.1:%d or [::1]:%d "
			 "are answered\n", srv->port, srv->port, srv->port);
		return reply_text(c, MHD_HTTP_FORBIDDEN, msg, NULL, NULL);
	}
	/* Other methods are refused at once, before any body is read (the
	 * connection is then closed, which is what an unread body needs). */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
				  MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	/* The first call only announces the request; answering then would make
	 * libmicrohttpd close the connection instead of keeping it alive. */
	if (!*req_cls) {
		*req_cls = srv;
		return MHD_YES;
	}
	if (srv->live && !strcmp(url, EVENTS_PATH))
		return reply_events(srv, c);
	return reply_path(srv, c, url);
}

static int is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return 0;
}

static int listen_on(const char *host, int port, char **url, int *loopback, int *family,
		     char *addr_out, size_t addr_len, int *port_out, int *any_addr, struct diag_list *dl)
{
	char service[16];
	snprintf(service, sizeof service, "%d", port);
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai;
	int gr = getaddrinfo(host, service, &hints, &ai);
	if (gr)
		return diag_error(dl, (struct srcpos){ NULL, 0, 0 }, "cannot use address '%s': %s", host,
				  gai_strerror(gr));
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return diag_error(dl, (struct srcpos){ NULL, 0, 0 }, "cannot listen on %s port %d: %s",
				  host, port, strerror(e));
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char addr[INET6_ADDRSTRLEN] = "?";
	int real_port = port;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET) {
			struct sockaddr_in *in = (struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &in->sin_addr, addr, sizeof addr);
			real_port = ntohs(in->sin_port);
		} else if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof addr);
			real_port = ntohs(in6->sin6_port);
		}
	}
	*family = ss.ss_family;
	*loopback = is_loopback((struct sockaddr *)&ss);
	*port_out = real_port;
	snprintf(addr_out, addr_len, "%s", addr);
	*any_addr = (ss.ss_family == AF_INET && ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY)) ||
		    (ss.ss_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)&ss)->sin6_addr));
	*url = ss.ss_family == AF_INET6 ? xasprintf("http://[%s]:%d/", addr, real_port)
					: xasprintf("http://%s:%d/", addr, real_port);
	return fd;
}

static void instance_id(char *out, size_t n)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, n, "%lx%lx%x", (unsigned long)ts.tv_sec, (unsigned long)ts.tv_nsec,
		 (unsigned)getpid());
}

/* MAX_CONNECTIONS, or fewer when the descriptor limit is lower: a
 * connection sending a file holds two descriptors, and running out of them
 * would make accept() fail for everyone instead of queueing. */
static unsigned connection_cap(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= 2 * MAX_CONNECTIONS + FD_RESERVE)
		return MAX_CONNECTIONS;
	return rl.rlim_cur > FD_RESERVE + 32 ? (unsigned)(rl.rlim_cur - FD_RESERVE) / 2 : 16;
}

struct server *server_start(const struct serve_opts *o, struct diag_list *dl)
{
	const char *host = o->bind && *o->bind ? o->bind : "127.0.0.1";
	char *url = NULL, addr[64];
	int loopback = 0, family = AF_UNSPEC, port = 0, any_addr = 0;
	int fd = listen_on(host, o->port, &url, &loopback, &family, addr, sizeof addr, &port, &any_addr, dl);
	if (fd < 0)
		return NULL;
	if (!loopback)
		diag_warning(dl, (struct srcpos){ NULL, 0, 0 },
			     "serving on '%s', which is not a loopback address: other machines can read "
			     "the preview, drafts included", host);
	struct server *srv = xcalloc(1, sizeof *srv);
	srv->url = url;
	srv->live = o->live;
	srv->bind_host = xstrdup(host);
	memcpy(srv->addr, addr, sizeof srv->addr);
	srv->port = port;
	srv->any_addr = any_addr;
	instance_id(srv->instance, sizeof srv->instance);
	pthread_mutex_init(&srv->files_lock, NULL);
	pthread_mutex_init(&srv->ev_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&srv->ev_cond, &ca);
	pthread_condattr_destroy(&ca);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Past the cap libmicrohttpd stops accepting, so new clients wait in
	 * the listen queue until a connection ends. One address may hold 3/4
	 * of it, so a client that floods (from another machine under --bind,
	 * or from ::1) leaves room for the others. */
	unsigned cap = connection_cap();
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
				       MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				       MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
				       MHD_OPTION_CONNECTION_LIMIT, cap,
				       MHD_OPTION_PER_IP_CONNECTION_LIMIT, cap * 3 / 4,
				       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
				       MHD_OPTION_END);
	if (!srv->daemon) {
		close(fd);
		diag_error(dl, (struct srcpos){ NULL, 0, 0 }, "cannot start the HTTP server on %s", url);
		server_stop(srv);
		return NULL;
	}
	return srv;
}

const char *server_url(const struct server *srv)
{
	return srv->url;
}

void server_publish(struct server *srv, struct sitefiles *files, const char *base_path)
{
	pthread_mutex_lock(&srv->files_lock);
	struct sitefiles *old = srv->files;
	srv->files = sitefiles_ref(files);
	free(srv->base_path);
	srv->base_path = xstrdup(base_path && *base_path == '/' ? base_path : "/");
	pthread_mutex_unlock(&srv->files_lock);
	sitefiles_unref(old); /* requests still sending from it hold their own references */

	pthread_mutex_lock(&srv->ev_lock);
	srv->good++;
	srv->seq++;
	free(srv->failure);
	srv->failure = NULL;
	pthread_cond_broadcast(&srv->ev_cond);
	pthread_mutex_unlock(&srv->ev_lock);
}

void server_fail(struct server *srv, const struct diag_list *dl)
{
	struct buf b = BUF_INIT;
	for (int errors = 1; errors >= 0; errors--) /* errors first */
		for (size_t i = 0; i < dl->n; i++) {
			if ((dl->items[i].level == DIAG_ERROR) != errors)
				continue;
			char *line = diag_format(&dl->items[i]);
			if (b.len)
				buf_addch(&b, '\n');
			buf_adds(&b, line);
			free(line);
		}
	if (!b.len)
		buf_adds(&b, "the build failed");
	pthread_mutex_lock(&srv->ev_lock);
	free(srv->failure);
	srv->failure = buf_detach(&b, NULL);
	srv->seq++;
	pthread_cond_broadcast(&srv->ev_cond);
	pthread_mutex_unlock(&srv->ev_lock);
}

void server_stop(struct server *srv)
{
	if (!srv)
		return;
	pthread_mutex_lock(&srv->ev_lock);
	srv->stopping = 1;
	pthread_cond_broadcast(&srv->ev_cond);
	pthread_mutex_unlock(&srv->ev_lock);
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon); /* joins every connection thread */
	sitefiles_unref(srv->files);
	pthread_mutex_destroy(&srv->files_lock);
	pthread_mutex_destroy(&srv->ev_lock);
	pthread_cond_destroy(&srv->ev_cond);
	free(srv->base_path);
	free(srv->failure);
	free(srv->url);
	free(srv->bind_host);
	free(srv);
}
