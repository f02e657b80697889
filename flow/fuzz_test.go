package flow

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
)

// FuzzServeHTTP feeds signed requests with arbitrary query, state, digits
// and body to a flow, with single use or with a store that claims every
// token anew (so each input runs its step): it must never panic, and must answer every signed
// request with 200, except one whose body is over the size limit, which
// gets 400.
func FuzzServeHTTP(f *testing.F) {
	master := aescrypt.New(aescrypt.GenerateKey())
	flw, err := New(master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: "http://127.0.0.1:1"}),
		WithPublicURL(testPublicURL), WithStore(nopStore{}))
	if err != nil {
		f.Fatal(err)
	}
	// The same flow remembering the tokens it answered: the fuzzer's inputs
	// share a few tokens, so most of its requests are retries or replays.
	remembering, err := New(master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: "http://127.0.0.1:1"}),
		WithPublicURL(testPublicURL))
	if err != nil {
		f.Fatal(err)
	}
	// A genuine state, so the fuzzer starts from the interesting side.
	rec := httptest.NewRecorder()
	flw.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, testWebhook, callForm(testCallSid), testAuthToken))
	body := rec.Body.String()
	start := strings.Index(body, "state=") + len("state=")
	token := body[start : start+strings.IndexByte(body[start:], '"')]

	f.Add("getLast4CC", token, testCallSid, "1234", "", false)
	f.Add("getLast4CC", token, testCallSid, "1234", "", true)
	f.Add("getPin", token, testCallSid, "*#", "", false)
	f.Add("", "", testCallSid, "", "Digits=1&Digits=2", false)
	f.Add("getLast4CC", token[:10], "CAx", "\xff", "%zz", true)
	f.Fuzz(func(t *testing.T, step, state, callSid, digits, extraBody string, remember bool) {
		q := url.Values{stepParam: {step}, stateParam: {state}}
		target := testWebhook + "?" + q.Encode()
		form := url.Values{"CallSid": {callSid}, "Digits": {digits}}
		if extra, err := url.ParseQuery(extraBody); err == nil {
			for k, vs := range extra {
				form[k] = append(form[k], vs...)
			}
		}
		want := http.StatusOK
		if len(form.Encode()) > DefaultMaxBodyBytes {
			want = http.StatusBadRequest
		}
		h := flw
		if remember {
			h = remembering
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, target, form, testAuthToken))
		if rec.Code != want {
			t.Fatalf("status %d, want %d, for step=%q: %s", rec.Code, want, step, rec.Body)
		}
	})
}
