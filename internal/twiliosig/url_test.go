package twiliosig

import (
	"net/url"
	"strings"
	"testing"
)

// portForms returns u as given and with its port changed the one way the
// helper libraries try, computed with net/url rather than with the code
// under test.
func portForms(u string) []string {
	p, err := url.Parse(u)
	if err != nil {
		return []string{u}
	}
	q := *p
	switch {
	case p.Port() != "":
		q.Host = strings.TrimSuffix(p.Host, ":"+p.Port())
	case strings.EqualFold(p.Scheme, "https"):
		q.Host = p.Host + ":443"
	default:
		q.Host = p.Host + ":80"
	}
	return []string{u, q.String()}
}

func TestPortVariants(t *testing.T) {
	form := url.Values{"CallSid": {"CA1"}}
	tests := []struct {
		name            string
		signed, checked string
		want            bool
	}{
		{"default port added", "https://ivr.example.com/x?a=1", "https://ivr.example.com:443/x?a=1", true},
		{"default port removed", "https://ivr.example.com:443/x", "https://ivr.example.com/x", true},
		{"http port added", "http://ivr.example.com/x", "http://ivr.example.com:80/x", true},
		{"http port removed", "http://ivr.example.com:80/x", "http://ivr.example.com/x", true},
		{"same non-default port", "https://ivr.example.com:8443/x", "https://ivr.example.com:8443/x", true},
		{"non-default port removed", "https://ivr.example.com/x", "https://ivr.example.com:8443/x", true},
		{"http non-default port removed", "http://ivr.example.com/x", "http://ivr.example.com:8080/x", true},
		{"non-default port swapped for the default", "https://ivr.example.com:443/x", "https://ivr.example.com:8443/x", false},
		{"another non-default port", "https://ivr.example.com:8444/x", "https://ivr.example.com:8443/x", false},
		{"non-default port added", "https://ivr.example.com:8443/x", "https://ivr.example.com/x", false},
		{"http's port on https", "https://ivr.example.com:80/x", "https://ivr.example.com/x", false},
		{"another scheme", "https://ivr.example.com/x", "http://ivr.example.com/x", false},
		{"upper-case scheme", "HTTPS://ivr.example.com:443/x", "HTTPS://ivr.example.com/x", true},
		{"IPv6 port added", "https://[::1]/x", "https://[::1]:443/x", true},
		{"IPv6 port removed", "https://[::1]/x", "https://[::1]:8443/x", true},
		{"credentials, port added", "https://u:p@ivr.example.com:443/x", "https://u:p@ivr.example.com/x", true},
		{"credentials, port removed", "https://u:p@ivr.example.com/x", "https://u:p@ivr.example.com:8443/x", true},
		{"credentials dropped", "https://ivr.example.com/x", "https://u:p@ivr.example.com/x", false},
		{"credentials added", "https://u:p@ivr.example.com/x", "https://ivr.example.com/x", false},
		{"colon in the password", "https://u:p:q@ivr.example.com/x", "https://u:p:q@ivr.example.com:443/x", true},
		{"escapes kept with the port", "https://ivr.example.com/a%20b?c=%27", "https://ivr.example.com:8443/a%20b?c=%27", true},
		{"escape decoded", "https://ivr.example.com/a b", "https://ivr.example.com/a%20b", false},
		{"escape in another case", "https://ivr.example.com/a%2fb", "https://ivr.example.com/a%2Fb", false},
		{"another path", "https://ivr.example.com/x", "https://ivr.example.com/y", false},
		{"colon in the query only", "https://ivr.example.com:443/x?t=1:2", "https://ivr.example.com/x?t=1:2", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Valid(token, tt.checked, form, Sign(token, tt.signed, form)); got != tt.want {
				t.Errorf("signed %s, checked %s: Valid = %v, want %v", tt.signed, tt.checked, got, tt.want)
			}
		})
	}
}

func TestAppendPortVariantMatchesNetURL(t *testing.T) {
	for _, u := range []string{
		"https://ivr.example.com/x?a=1",
		"https://ivr.example.com:8443/x",
		"http://user:pass@ivr.example.com/a%20b?c=d#f",
		"https://[2001:db8::1]:8443",
		"https://ivr.example.com",
	} {
		t.Run(u, func(t *testing.T) {
			got, ok := appendPortVariant(nil, u)
			if want := portForms(u)[1]; !ok || string(got) != want {
				t.Errorf("appendPortVariant = %q, %v; want %q", got, ok, want)
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://ivr.example.com/x", "https://ivr.example.com/x"},
		{"https://ivr.example.com/x?state=abc&Digits=1234", "https://ivr.example.com/x"},
		{"https://ivr.example.com/x#frag", "https://ivr.example.com/x"},
		{"https://user:s3cret@ivr.example.com/x?a=1", "https://user:xxxxx@ivr.example.com/x"},
		{"https://user:s3cret@ivr.example.com", "https://user:xxxxx@ivr.example.com"},
		{"https://user:s3:cr@t@ivr.example.com:8443/x", "https://user:xxxxx@ivr.example.com:8443/x"},
		{"https://user@ivr.example.com/x", "https://user@ivr.example.com/x"},
		{"https://ivr.example.com/x@y:z", "https://ivr.example.com/x@y:z"},
		{"https://ivr.example.com?u=a:b@c", "https://ivr.example.com"},
		{"not a url:pass@x", "not a url:pass@x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Redacted(tt.in); got != tt.want {
				t.Errorf("Redacted = %q, want %q", got, tt.want)
			}
		})
	}
}
