package flow

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// replacements returns what character i of a token is changed to: its
// neighbour in the alphabet, the character whose value differs in the
// lowest bit (the bits a lax decoder ignores at the end of a token), and a
// character outside the alphabet. The last two characters are changed to
// every other character of the alphabet.
func replacements(token string, i int) []byte {
	idx := strings.IndexByte(base64URLAlphabet, token[i])
	if i >= len(token)-2 {
		out := make([]byte, 0, 64)
		for j := range 64 {
			if j != idx {
				out = append(out, base64URLAlphabet[j])
			}
		}
		return append(out, '.')
	}
	return []byte{base64URLAlphabet[(idx+1)%64], base64URLAlphabet[idx^1], '.'}
}

// actionAfter sends digits to action and returns the next Gather's action.
func actionAfter(t *testing.T, h http.Handler, action, digits string) string {
	t.Helper()
	rec := serve(h, action, callForm(testCallSid, "Digits", digits))
	next, err := flowtest.GatherAction(action, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("digits to %s: %v\n%s", withoutQuery(action), err, rec.Body)
	}
	return next
}

// tamperedActions returns action with its state token changed at every
// character, each in several ways.
func tamperedActions(t *testing.T, action string) []string {
	t.Helper()
	u, err := url.Parse(action)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	token := q.Get(stateParam)
	var out []string
	for i := range token {
		for _, c := range replacements(token, i) {
			q.Set(stateParam, token[:i]+string(c)+token[i+1:])
			u.RawQuery = q.Encode()
			out = append(out, u.String())
		}
	}
	return out
}

// TestTutorialTokenLastCharacters changes the last characters of the
// tutorial's PIN-step token (99 characters: its last one carries two bits
// that are not part of any byte). None may reach the backend.
func TestTutorialTokenLastCharacters(t *testing.T) {
	fx := newFixture(t)
	pinAction := actionAfter(t, fx.flow, fx.firstStep(t, fx.flow), "1234")
	if rec := serve(fx.flow, pinAction, callForm(testCallSid, "Digits", "4321")); !strings.Contains(rec.Body.String(), saySuccess) {
		t.Fatalf("genuine token: got %d %s, want success", rec.Code, rec.Body)
	}
	for _, target := range tamperedActions(t, pinAction) {
		rec := serve(fx.flow, target, callForm(testCallSid, "Digits", "4321"))
		if !apologized(rec) {
			t.Fatalf("%s: got %d %s, want the apology", target, rec.Code, rec.Body)
		}
	}
}

// TestLongTokenEveryCharacterChanged changes every character of a token
// that carries three fields, sealed and plain, of several lengths.
func TestLongTokenEveryCharacterChanged(t *testing.T) {
	fx := newFixture(t)
	say := []twiml.GatherVerb{twiml.Say{Text: "Enter."}}
	steps := []Step{
		{Name: "account", Digits: Between(6, 12), Prompt: say},
		{Name: "menu", Digits: Exactly(1), Plain: true, Prompt: say},
		{Name: "card", Digits: Exactly(16), Validate: Luhn, Prompt: say},
		{Name: "pin", Digits: Exactly(4), Prompt: say},
	}
	var finished atomic.Int32
	finish := func(context.Context, *Result) ([]twiml.Verb, error) {
		finished.Add(1)
		return []twiml.Verb{twiml.Say{Text: "Done."}}, nil
	}
	f, err := New(fx.master, testAuthToken, steps, finish, WithPublicURL(testPublicURL), WithClock(func() time.Time {
		return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	}))
	if err != nil {
		t.Fatal(err)
	}
	action := fx.firstStep(t, f)
	for _, digits := range []string{"123456789", "2", "4111111111111111"} {
		action = actionAfter(t, f, action, digits)
	}
	targets := tamperedActions(t, action)
	t.Logf("%d tampered tokens", len(targets))
	for _, target := range targets {
		rec := serve(f, target, callForm(testCallSid, "Digits", "4321"))
		if !apologized(rec) || finished.Load() != 0 {
			t.Fatalf("%s: got %d %s, want the apology", target, rec.Code, rec.Body)
		}
	}
	if rec := serve(f, action, callForm(testCallSid, "Digits", "4321")); finished.Load() != 1 {
		t.Fatalf("genuine token: got %d %s, want Finish", rec.Code, rec.Body)
	}
}
