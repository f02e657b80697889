package twiliosig

import (
	"net/url"
	"strings"
	"testing"
)

func FuzzValid(f *testing.F) {
	f.Add(docsURL, "Digits", "1234", Sign(token, docsURL, docsForm))
	f.Add("https://[::1", "", "", "")
	f.Add("http://a:80:80/x", "k", "v", "AAAA")
	f.Add("https://user:pass@ivr.example.com:8443/a%20b?c=%27", "K", "v", "")
	f.Add("HTTP://u@[2001:db8::1]:1/x#f", "", "", "")
	f.Add("https://ivr.example.com/x?a=it's&c=sip%3A1%40h%3a%2527#'", "Digits", "1", "")
	f.Add("https://ivr.example.com/x?bodySHA256="+jsonBodyHash, "", "", withPaddingBits(Sign(token, docsURL, docsForm)))
	f.Fuzz(func(t *testing.T, u, k, v, sig string) {
		form := url.Values{k: {v, v + "x", v}}
		Valid(token, u, form, sig)
		if !Valid(token, u, form, Sign(token, u, form)) {
			t.Fatalf("Valid rejects Sign's own signature for %q", u)
		}
		if variant, ok := appendPortVariant(nil, u); ok && !Valid(token, u, form, Sign(token, string(variant), form)) {
			t.Fatalf("Valid rejects a signature over %q for %q", variant, u)
		}
		for _, sp := range spellings {
			respelled := spelledReference(u, sp)
			if got := string(appendSpelled(nil, u, sp)); got != respelled {
				t.Fatalf("appendSpelled(%q, %d) = %q, want %q", u, sp, got, respelled)
			}
			if !Valid(token, u, form, Sign(token, respelled, form)) {
				t.Fatalf("Valid rejects a signature over %q for %q", respelled, u)
			}
		}
		if n := macsFor(u, form); n < 1 || n > maxCandidates {
			t.Fatalf("a wrong signature for %q cost %d MACs, want 1 to %d", u, n, maxCandidates)
		}
	})
}

func FuzzValidBody(f *testing.F) {
	f.Add("https://ivr.example.com/x?bodySHA256="+jsonBodyHash, jsonBody, "")
	f.Add("https://ivr.example.com/x?bodySHA256=&bodySHA256", "", "AAAA")
	f.Add("?bodySHA256=%30#", "{}", "")
	f.Fuzz(func(t *testing.T, u, body, sig string) {
		ValidBody(token, u, []byte(body), sig)
		HasBodyHash(u)
		withHash := u + "&bodySHA256=" + BodySHA256([]byte(body))
		if strings.ContainsAny(u, "#") || strings.Contains(u, BodyHashParam) {
			return
		}
		if !strings.Contains(u, "?") {
			withHash = u + "?bodySHA256=" + BodySHA256([]byte(body))
		}
		if !ValidBody(token, withHash, []byte(body), Sign(token, withHash, nil)) {
			t.Fatalf("ValidBody rejects a signed %q", withHash)
		}
	})
}

func FuzzRedacted(f *testing.F) {
	f.Add("https://user:s3cret@ivr.example.com/x?a=1", "s3cret")
	f.Add("https://u:p@[::1]:8443", "p")
	f.Fuzz(func(t *testing.T, host, password string) {
		if password == "" || strings.ContainsAny(password, "@/?#") || strings.ContainsAny(host, "@?#") {
			return
		}
		u := "https://user:" + password + "@" + host
		if strings.Contains(Redacted(u), ":"+password+"@") {
			t.Fatalf("Redacted(%q) shows the password", u)
		}
	})
}
