package flow

import (
	"fmt"
	"net/http"
	"strings"
)

// requestURL rebuilds the URL Twilio requested: the public URL, or with a
// trusted proxy the forwarded scheme and host, then the path and query from
// the request line as the client sent it (r.RequestURI), so the URL is
// right under any mount point, even after http.StripPrefix.
func requestURL(r *http.Request, cfg *sigConfig) (string, error) {
	uri := originalRequestURI(r)
	if cfg.publicURL != nil {
		return cfg.publicBase + uri, nil
	}
	proto := firstHeaderValue(r, "X-Forwarded-Proto")
	if proto == "" {
		proto = "https"
		if r.TLS == nil {
			proto = "http"
		}
	}
	host := firstHeaderValue(r, "X-Forwarded-Host")
	if host == "" {
		host = r.Host
	}
	if proto != "http" && proto != "https" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", fmt.Errorf("%w: cannot rebuild the public URL from forwarded headers", ErrSignature)
	}
	return proto + "://" + host + uri, nil
}

// originalRequestURI returns the path and query as the client sent them,
// before any handler such as http.StripPrefix rewrote r.URL. A request line
// in absolute form ("POST https://host/path HTTP/1.1") loses its scheme and
// host.
func originalRequestURI(r *http.Request) string {
	uri := r.RequestURI
	if scheme, rest, ok := strings.Cut(uri, "://"); ok && !strings.ContainsAny(scheme, "/?") {
		if i := strings.IndexAny(rest, "/?"); i >= 0 {
			uri = rest[i:]
		} else {
			uri = "/"
		}
		if uri[0] == '?' {
			uri = "/" + uri
		}
	}
	if uri == "" || uri[0] != '/' {
		return r.URL.RequestURI()
	}
	return uri
}

func firstHeaderValue(r *http.Request, name string) string {
	v := r.Header.Get(name)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// withoutQuery drops the query, which may hold a state token: for logs, and
// for the base of absolute action URLs.
func withoutQuery(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
