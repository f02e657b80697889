package studio

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/encgather/encgather/flow"
)

// FuzzReturnedValue: a result the check lets through goes back to Studio
// exactly as it was, as one parameter, and holds no long hex run.
func FuzzReturnedValue(f *testing.F) {
	for _, seed := range []string{"R-17", "en-US", "a&outcome=verified", "%zz", "0123456789abcdef01234567", "x y+z", "\xff"} {
		f.Add(seed)
	}
	hexRun := regexp.MustCompile(`[0-9a-fA-F]{24}`)
	ret, err := New("FW0123456789abcdef0123456789abcdef", nil, "ref")
	if err != nil {
		f.Fatal(err)
	}
	res := &flow.Result{Sealed: map[string]string{"pin": "00112233445566778899aabbccddeeff"}}
	f.Fuzz(func(t *testing.T, v string) {
		results := map[string]string{"ref": v}
		if ret.check(res, results) != nil {
			return
		}
		raw, err := ret.URL("AC0123456789abcdef0123456789abcdef", Verified, results)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if q.Get("outcome") != "verified" || len(q["outcome"]) != 1 || q.Get("ref") != v && v != "" {
			t.Fatalf("%q came back as %v", v, q)
		}
		if hexRun.MatchString(v) {
			t.Fatalf("%q passed with a hex run", v)
		}
	})
}
