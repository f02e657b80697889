package main

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/encgather/encgather/internal/twiliosig"
)

// TestWrkScript: the script's body and signature make a request whose
// signature checks out against the URL it names, and a URL off this
// machine is refused.
func TestWrkScript(t *testing.T) {
	const target, token = "http://127.0.0.1:8080/encrypted-gather", "test-token"
	var out bytes.Buffer
	if err := writeWrkScript(&out, target, token); err != nil {
		t.Fatal(err)
	}
	field := func(re string) string {
		m := regexp.MustCompile(re).FindSubmatch(out.Bytes())
		if m == nil {
			t.Fatalf("no %s in:\n%s", re, out.String())
		}
		v, err := strconv.Unquote(string(m[1]))
		if err != nil {
			t.Fatalf("%s: %v", re, err)
		}
		return v
	}
	body := field(`wrk\.body = (".*")`)
	sig := field(`wrk\.headers\["X-Twilio-Signature"\] = (".*")`)
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	if !twiliosig.Valid(token, target, form, sig) {
		t.Errorf("the script's signature does not check out")
	}
	if form.Get("CallSid") == "" || form.Get("Digits") != "" {
		t.Errorf("not a first webhook: %v", form)
	}
	if err := writeWrkScript(&out, "http://192.0.2.1/x", token); err == nil {
		t.Errorf("a URL off this machine was accepted")
	}
}
