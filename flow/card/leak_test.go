package card_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/encgather/encgather/flow/card"
	"github.com/encgather/encgather/flow/flowtest"
)

// standalone matches v where it stands on its own: not inside a run of
// letters, digits or base64url, nor a decimal or a duration.
func standalone(v string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^0-9A-Za-z._-])` + regexp.QuoteMeta(v) + `($|[^0-9A-Za-z._µ-])`)
}

// TestNoCardDataLeaks runs whole card calls at debug logging, with
// wrong entries, a '*' and a hang-up, and looks for the numbers, the
// expiry and the code in every log line, URL, TwiML answer and in what
// Finish is given in the clear.
func TestNoCardDataLeaks(t *testing.T) {
	const (
		number  = "5555555555554444" // Mastercard's published test number
		wrong   = "5555555555554445"
		expiry  = "0931"
		badDate = "1325"
		code    = "846"
	)
	tests := []struct {
		name    string
		entries []string
	}{
		{"success after mistakes", []string{wrong + "#", number + "#", badDate, expiry, "84", code, "94105#"}},
		{"star", []string{number + "#", expiry, "*"}},
		{"hang up", []string{number + "#", expiry, code[:2] + flowtest.HangUp}},
		{"hang up after the code", []string{number + "#", expiry, code, flowtest.HangUp}},
	}
	secrets := []string{number, wrong, expiry, badDate, code}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := card.Options{PostalCode: true}
			f, rec, logs := newCardFlow(t, o)
			call := place(f, tt.entries...)
			if len(rec.results) != 1 {
				t.Fatalf("Finish ran %d times:\n%s", len(rec.results), call.Transcript())
			}
			var outputs []string
			outputs = append(outputs, strings.Split(logs.String(), "\n")...)
			for _, r := range call.Requests {
				u, _ := url.QueryUnescape(r.URL)
				outputs = append(outputs, u, string(r.Body))
			}
			res := rec.raw[0]
			for k, v := range res.Facts {
				outputs = append(outputs, k+"="+v)
			}
			for k, v := range res.Plain {
				outputs = append(outputs, k+"="+v)
			}
			if !strings.Contains(logs.String(), "level=DEBUG") && !strings.Contains(logs.String(), "level=INFO") {
				t.Fatal("nothing was logged")
			}
			for _, out := range outputs {
				for _, s := range secrets {
					// A short value is looked for on its own: as a substring it
					// turns up in durations and identifiers by chance.
					if len(s) >= card.MinNumberLen && strings.Contains(out, s) || standalone(s).MatchString(out) {
						t.Errorf("%q is in %q", s, out)
					}
				}
			}
		})
	}
}
