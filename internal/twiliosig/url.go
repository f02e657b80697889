package twiliosig

import "strings"

// appendPortVariant appends to dst fullURL with its port removed, when it
// has one, or its scheme's default port added, when it has none, as the
// helper libraries check. It reports false, with nothing appended, for a
// URL without an http or https scheme. Only the authority is edited, so the
// user info, path and query keep their exact spelling.
func appendPortVariant(dst []byte, fullURL string) ([]byte, bool) {
	dst, tail, ok := appendOtherPort(dst, fullURL)
	return append(dst, tail...), ok
}

// appendOtherPort is appendPortVariant up to the end of the authority: it
// appends fullURL's scheme and authority with the port changed, and returns
// the rest of fullURL (path, query, fragment) unwritten.
func appendOtherPort(dst []byte, fullURL string) ([]byte, string, bool) {
	scheme, rest, ok := strings.Cut(fullURL, "://")
	if !ok {
		return dst, "", false
	}
	var defaultPort string
	switch {
	case strings.EqualFold(scheme, "https"):
		defaultPort = ":443"
	case strings.EqualFold(scheme, "http"):
		defaultPort = ":80"
	default:
		return dst, "", false
	}
	authority, tail := splitAuthority(rest)
	hostStart := strings.LastIndexByte(authority, '@') + 1
	host := authority[hostStart:]
	dst = append(dst, fullURL[:len(scheme)+len("://")+hostStart]...)
	if i := portIndex(host); i >= 0 {
		dst = append(dst, host[:i]...)
	} else {
		dst = append(dst, host...)
		dst = append(dst, defaultPort...)
	}
	return dst, tail, true
}

// appendCandidate appends to dst fullURL with its port changed (see
// appendPortVariant) if otherPort, and its query written in spelling sp.
// It reports false, with nothing appended, when otherPort is asked of a
// URL without an http or https scheme.
func appendCandidate(dst []byte, fullURL string, otherPort bool, sp spelling) ([]byte, bool) {
	tail := fullURL
	if otherPort {
		var ok bool
		if dst, tail, ok = appendOtherPort(dst, fullURL); !ok {
			return dst, false
		}
	}
	return appendSpelled(dst, tail, sp), true
}

// splitAuthority splits what follows "scheme://" into the authority and
// the rest (path, query, fragment).
func splitAuthority(rest string) (authority, tail string) {
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return rest[:end], rest[end:]
}

// portIndex returns the index of the colon that starts host's port, or -1.
// A colon inside an IPv6 literal such as [::1] starts none.
func portIndex(host string) int {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.Contains(host[i:], "]") {
		return -1
	}
	return i
}

// Redacted returns fullURL fit for a log line or an error: without its
// query and fragment (which may carry state and hashes) and with the
// password of any user info replaced by "xxxxx", as net/url's
// URL.Redacted does.
func Redacted(fullURL string) string {
	if i := strings.IndexAny(fullURL, "?#"); i >= 0 {
		fullURL = fullURL[:i]
	}
	scheme, rest, ok := strings.Cut(fullURL, "://")
	if !ok {
		return fullURL
	}
	authority, tail := splitAuthority(rest)
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return fullURL
	}
	user, _, hasPassword := strings.Cut(authority[:at], ":")
	if !hasPassword {
		return fullURL
	}
	return scheme + "://" + user + ":xxxxx" + authority[at:] + tail
}
