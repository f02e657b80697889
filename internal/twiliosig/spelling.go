package twiliosig

import "strings"

// A spelling says how a URL checked against a signature writes, in its
// query, the three characters Twilio has signed in one spelling and sent in
// the other: the apostrophe, the at sign and the colon (' @ : against %27
// %40 %3A). Twilio has signed a SIP caller's ':' and '@' unescaped and sent
// them escaped (twilio-node pull request 621), signed an apostrophe
// unescaped that a normalising server sees escaped (twilio-node issues 1059
// and 1183), and the helper libraries sign and accept the escaped
// apostrophe where it was sent unescaped (twilio-node's validation tests).
type spelling uint8

const (
	asSent    spelling = iota // the query as it came
	unescaped                 // %27 %40 %3A, hex digits in either case, written ' @ :
	escaped                   // ' @ : written %27 %40 %3A
)

// spellings are the spellings a check tries, in order: the URL as sent
// always comes first.
var spellings = [...]spelling{asSent, unescaped, escaped}

// maxCandidates bounds the MACs one check computes: each spelling of the
// query, the URL as given and with its port changed.
const maxCandidates = len(spellings) * 2

// rawQuery returns fullURL's query as sent: what follows the first '?'
// that comes before any '#', up to that '#'. It is "" for a URL without one.
func rawQuery(fullURL string) string {
	if i := strings.IndexByte(fullURL, '#'); i >= 0 {
		fullURL = fullURL[:i]
	}
	_, query, _ := strings.Cut(fullURL, "?")
	return query
}

// respells reports whether writing query in spelling sp changes it.
func respells(query string, sp spelling) bool {
	switch sp {
	case unescaped:
		for i := strings.IndexByte(query, '%'); i >= 0; i = nextPercent(query, i) {
			if _, ok := unescapedByte(query[i:]); ok {
				return true
			}
		}
		return false
	case escaped:
		return strings.ContainsAny(query, "'@:")
	}
	return false
}

// nextPercent returns the index of the next '%' in s after index i, or -1.
func nextPercent(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '%')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// unescapedByte reads an escape of one of the respelled characters at the
// start of s.
func unescapedByte(s string) (byte, bool) {
	if len(s) < 3 || s[0] != '%' {
		return 0, false
	}
	switch s[1:3] {
	case "27":
		return '\'', true
	case "40":
		return '@', true
	case "3A", "3a":
		return ':', true
	}
	return 0, false
}

// appendSpelled appends s, a URL or its part from the path on, to dst with
// its query written in spelling sp. Everything outside the query (the
// authority, the path, the fragment) keeps its exact bytes, as does every
// other escape in the query.
func appendSpelled(dst []byte, s string, sp spelling) []byte {
	query := rawQuery(s)
	if sp == asSent || query == "" {
		return append(dst, s...)
	}
	start := strings.IndexByte(s, '?') + 1 // rawQuery found it
	dst = append(dst, s[:start]...)
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case sp == unescaped && c == '%':
			if u, ok := unescapedByte(query[i:]); ok {
				dst = append(dst, u)
				i += 2
				continue
			}
		case sp == escaped && c == '\'':
			dst = append(dst, "%27"...)
			continue
		case sp == escaped && c == '@':
			dst = append(dst, "%40"...)
			continue
		case sp == escaped && c == ':':
			dst = append(dst, "%3A"...)
			continue
		}
		dst = append(dst, c)
	}
	return append(dst, s[start+len(query):]...)
}
