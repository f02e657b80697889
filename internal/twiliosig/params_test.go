package twiliosig

import (
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// paramsOf returns form's pairs, each name's values in their order.
func paramsOf(form url.Values) []Param {
	var params []Param
	for _, k := range slices.Sorted(maps.Keys(form)) {
		for _, v := range form[k] {
			params = append(params, Param{k, v})
		}
	}
	return params
}

func TestValidParamsMatchesValid(t *testing.T) {
	c := NewChecker(token)
	tests := []struct {
		name   string
		params []Param
	}{
		{"docs example", paramsOf(docsForm)},
		{"docs example reversed", reversed(paramsOf(docsForm))},
		{"none", nil},
		{"repeated name, values out of order", []Param{{"K", "b"}, {"A", "1"}, {"K", "a"}}},
		{"identical pair twice", []Param{{"K", "a"}, {"K", "a"}, {"K", "b"}}},
		{"empty name and value", []Param{{"", ""}, {"Digits", ""}}},
		{"name that prefixes another", []Param{{"AB", "1"}, {"A", "B1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{}
			for _, p := range tt.params {
				form[p.Name] = append(form[p.Name], p.Value)
			}
			sig := Sign(token, docsURL, form)
			before := slices.Clone(tt.params)
			for range 2 { // a pooled state must carry nothing over
				if !c.ValidParams(docsURL, tt.params, sig) {
					t.Fatal("ValidParams rejects the signature Sign made for the same form")
				}
			}
			if !slices.Equal(before, tt.params) {
				t.Fatal("ValidParams changed its input")
			}
			if c.ValidParams(docsURL+"&x=1", tt.params, sig) {
				t.Fatal("ValidParams accepts a signature for another URL")
			}
			more := append(slices.Clone(tt.params), Param{"Extra", "1"})
			if c.ValidParams(docsURL, more, sig) {
				t.Fatal("ValidParams accepts a signature without one of the pairs")
			}
		})
	}
}

func reversed(p []Param) []Param {
	slices.Reverse(p)
	return p
}

func TestValidParamsPortVariant(t *testing.T) {
	c := NewChecker(token)
	const withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
	if !c.ValidParams(withPort, paramsOf(docsForm), Sign(token, docsURL, docsForm)) {
		t.Fatal("ValidParams does not try the URL without its default port")
	}
}

// FuzzValidParams checks that ValidParams accepts exactly the signature
// that Sign makes over the same pairs as url.Values.
func FuzzValidParams(f *testing.F) {
	f.Add("Digits=1234&CallSid=CA1&Digits=1234", "K=v")
	f.Add("a=&=b&a=c&a=b", "")
	f.Add("Z=1&z=1&\xff=\x00", "a=1")
	f.Fuzz(func(t *testing.T, pairs, other string) {
		params, form := fuzzParams(pairs)
		sig := Sign(token, docsURL, form)
		c := NewChecker(token)
		if !c.ValidParams(docsURL, params, sig) {
			t.Fatalf("ValidParams rejects Sign's signature over %q", pairs)
		}
		otherParams, otherForm := fuzzParams(other)
		want := Sign(token, docsURL, otherForm) == sig
		if got := c.ValidParams(docsURL, otherParams, sig); got != want {
			t.Fatalf("ValidParams(%q) = %v with the signature of %q; Sign agrees: %v", other, got, pairs, want)
		}
	})
}

// fuzzParams splits s at '&' and '=' into pairs, without unescaping.
func fuzzParams(s string) ([]Param, url.Values) {
	var params []Param
	form := url.Values{}
	for piece := range strings.SplitSeq(s, "&") {
		if piece == "" {
			continue
		}
		k, v, _ := strings.Cut(piece, "=")
		params = append(params, Param{k, v})
		form[k] = append(form[k], v)
	}
	return params, form
}

func BenchmarkCheckerParams(b *testing.B) {
	c := NewChecker(token)
	sig := Sign(token, docsURL, docsForm)
	params := paramsOf(docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if !c.ValidParams(docsURL, params, sig) {
			b.Fatal("invalid")
		}
	}
}
