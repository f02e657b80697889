package twiliosig

import (
	"crypto/hmac"
	"crypto/sha1"
	"hash"
	"net/url"
	"strings"
	"testing"
)

func TestQuerySpellings(t *testing.T) {
	form := url.Values{"CallSid": {"CA1"}, "Digits": {"1234"}}
	c := NewChecker(token)
	tests := []struct {
		name            string
		signed, checked string
		want            bool
	}{
		{"apostrophe signed unescaped, sent escaped", "https://ivr.example.com/x?a=it's", "https://ivr.example.com/x?a=it%27s", true},
		{"apostrophe signed escaped, sent unescaped", "https://ivr.example.com/x?a=it%27s", "https://ivr.example.com/x?a=it's", true},
		{"SIP caller signed unescaped, sent escaped", "https://ivr.example.com/x?c=sip:1@192.0.2.1", "https://ivr.example.com/x?c=sip%3A1%40192.0.2.1", true},
		{"SIP caller signed escaped, sent unescaped", "https://ivr.example.com/x?c=sip%3A1%40192.0.2.1", "https://ivr.example.com/x?c=sip:1@192.0.2.1", true},
		{"lower-case escape sent", "https://ivr.example.com/x?c=sip:1", "https://ivr.example.com/x?c=sip%3a1", true},
		{"respelled and the port added", "https://ivr.example.com/x?a=it's", "https://ivr.example.com:443/x?a=it%27s", true},
		{"respelled and the port removed", "https://ivr.example.com:443/x?a=it%27s", "https://ivr.example.com/x?a=it's", true},
		{"all sent escaped, some signed so", "https://ivr.example.com/x?a=it's&c=sip:1", "https://ivr.example.com/x?a=it%27s&c=sip%3A1", true},
		{"some sent escaped, all signed unescaped", "https://ivr.example.com/x?a=it's&c=sip:1", "https://ivr.example.com/x?a=it's&c=sip%3A1", true},
		{"signed in two spellings at once", "https://ivr.example.com/x?a=it%27s&c=sip:1", "https://ivr.example.com/x?a=it's&c=sip:1", false},
		{"lower-case escape signed", "https://ivr.example.com/x?c=sip%3a1", "https://ivr.example.com/x?c=sip:1", false},
		{"apostrophe in the path", "https://ivr.example.com/it's?a=1", "https://ivr.example.com/it%27s?a=1", false},
		{"colon in the fragment", "https://ivr.example.com/x?a=1#b:c", "https://ivr.example.com/x?a=1#b%3Ac", false},
		{"query mark inside the fragment", "https://ivr.example.com/x#f?a='", "https://ivr.example.com/x#f?a=%27", false},
		{"colon in the password", "https://u:p:w@ivr.example.com/x?a=1:2", "https://u:p%3Aw@ivr.example.com/x?a=1:2", false},
		{"space as plus and as %20", "https://ivr.example.com/x?a=b+c", "https://ivr.example.com/x?a=b%20c", false},
		{"plus escaped", "https://ivr.example.com/x?a=%2B1", "https://ivr.example.com/x?a=+1", false},
		{"escaped percent before 27", "https://ivr.example.com/x?a=%27", "https://ivr.example.com/x?a=%2527", false},
		{"another character escaped", "https://ivr.example.com/x?a=b/c", "https://ivr.example.com/x?a=b%2Fc", false},
		{"another value", "https://ivr.example.com/x?a=it's", "https://ivr.example.com/x?a=its%27", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := Sign(token, tt.signed, form)
			got := Valid(token, tt.checked, form, sig)
			gotChecker := c.Valid(tt.checked, form, sig)
			gotParams := c.ValidParams(tt.checked, paramsOf(form), sig)
			if got != tt.want || gotChecker != tt.want || gotParams != tt.want {
				t.Errorf("signed %s, checked %s: Valid = %v, Checker.Valid = %v, ValidParams = %v; want %v",
					tt.signed, tt.checked, got, gotChecker, gotParams, tt.want)
			}
		})
	}
}

// TestBodyHashQuerySpellings checks that a JSON request's URL is respelled
// as a form request's is, the body hash still read from the URL as sent.
func TestBodyHashQuerySpellings(t *testing.T) {
	const sent = "https://ivr.example.com/x?c=sip%3A1%40192.0.2.1&bodySHA256=" + jsonBodyHash
	signed := strings.NewReplacer("%3A", ":", "%40", "@").Replace(sent)
	sig := Sign(token, signed, nil)
	if !NewChecker(token).ValidBody(sent, []byte(jsonBody), sig) || !ValidBody(token, sent, []byte(jsonBody), sig) {
		t.Fatal("ValidBody rejects a signature over the query's other spelling")
	}
	if ValidBody(token, sent, []byte(jsonBody+" "), sig) {
		t.Fatal("ValidBody accepts another body")
	}
}

// spelledReference is appendSpelled's result computed with net/url's
// split of a URL and a strings.Replacer, not with the code under test.
func spelledReference(u string, sp spelling) string {
	beforeFragment, fragment, hasFragment := strings.Cut(u, "#")
	base, query, hasQuery := strings.Cut(beforeFragment, "?")
	if !hasQuery {
		return u
	}
	switch sp {
	case unescaped:
		query = strings.NewReplacer("%27", "'", "%40", "@", "%3A", ":", "%3a", ":").Replace(query)
	case escaped:
		query = strings.NewReplacer("'", "%27", "@", "%40", ":", "%3A").Replace(query)
	}
	out := base + "?" + query
	if hasFragment {
		out += "#" + fragment
	}
	return out
}

func TestAppendSpelledMatchesReference(t *testing.T) {
	for _, u := range []string{
		"https://ivr.example.com/x?a=it's&c=sip%3A1%40h&d=%3a",
		"https://u:p%40@ivr.example.com:8443/a:b'c?q=%2527%27%2%3#f:'%27",
		"https://ivr.example.com/x?",
		"https://ivr.example.com/x?%",
		"https://ivr.example.com/x?a=%4",
		"https://ivr.example.com/x#?a='",
		"https://ivr.example.com/x",
	} {
		for _, sp := range spellings {
			t.Run(u, func(t *testing.T) {
				got := string(appendSpelled(nil, u, sp))
				if want := spelledReference(u, sp); got != want {
					t.Errorf("spelling %d: appendSpelled = %q, want %q", sp, got, want)
				}
				if changed := got != u; changed != respells(rawQuery(u), sp) {
					t.Errorf("spelling %d: respells = %v, but the URL changed: %v", sp, !changed, changed)
				}
			})
		}
	}
}

// countingMAC counts the MACs a macState computes.
type countingMAC struct {
	hash.Hash
	sums int
}

func (c *countingMAC) Sum(b []byte) []byte {
	c.sums++
	return c.Hash.Sum(b)
}

// macsFor returns how many MACs one check of a wrong signature for u
// computes.
func macsFor(u string, form url.Values) int {
	counter := &countingMAC{Hash: hmac.New(sha1.New, []byte(token))}
	st := &macState{mac: counter}
	if st.valid(u, form, Sign("another-token", u, form)) {
		return -1
	}
	return counter.sums
}

func TestCandidatesBounded(t *testing.T) {
	tests := []struct {
		name string
		url  string
		want int
	}{
		{"nothing to respell", "https://ivr.example.com/x?a=1", 2},
		{"not http", "ftp://ivr.example.com/x?a=1", 1},
		{"apostrophe", "https://ivr.example.com/x?a='", 4},
		{"escape", "https://ivr.example.com/x?a=%27", 4},
		{"both spellings", "https://ivr.example.com/x?a='%40", maxCandidates},
		{"many of each", "https://ivr.example.com/x?" + strings.Repeat("a=%27':@%3A%40&", 100), maxCandidates},
		{"characters outside the query only", "https://u:p@ivr.example.com:8443/it's#a:b", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := macsFor(tt.url, url.Values{"A": {"1"}}); got != tt.want {
				t.Errorf("a wrong signature costs %d MACs, want %d", got, tt.want)
			}
		})
	}
}
