package flow

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// longSteps returns n sensitive steps that each take the most digits a
// step may ask for.
func longSteps(n int) []Step {
	steps := make([]Step, n)
	for i := range steps {
		steps[i] = Step{Name: "s" + strconv.Itoa(i), Digits: Exactly(maxDigits),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Enter."}}}
	}
	return steps
}

func finishDone(context.Context, *Result) ([]twiml.Verb, error) {
	return []twiml.Verb{twiml.Say{Text: "Done."}}, nil
}

// longestFlow returns the most steps of build(n) that New accepts.
func longestFlow(t *testing.T, master *aescrypt.Cipher, build func(n int) []Step, opts ...Option) int {
	t.Helper()
	opts = append([]Option{WithPublicURL(testPublicURL)}, opts...)
	for n := 1; n <= maxFields; n++ {
		if _, err := New(master, testAuthToken, build(n), finishDone, opts...); err != nil {
			if !errors.Is(err, ErrDefinition) {
				t.Fatalf("%d steps: err = %v, want ErrDefinition", n, err)
			}
			return n - 1
		}
	}
	t.Fatalf("New accepts %d steps of the most digits", maxFields)
	return 0
}

// TestNewRefusesTokensOverLimit checks that New accepts a flow exactly
// when every token it can issue is within the limit: the longest accepted
// flow completes a call with every entry at its most digits.
func TestNewRefusesTokensOverLimit(t *testing.T) {
	master := aescrypt.New(aescrypt.GenerateKey())
	menu := func(back bool) func(n int) []Step {
		return func(n int) []Step {
			steps := longSteps(n)
			// A plain last step that may lead back to the first: the
			// token that asks the first step again carries every field.
			steps[n-1] = Step{Name: "menu", Digits: Exactly(1), Plain: true,
				Prompt: []twiml.GatherVerb{twiml.Say{Text: "Again?"}}}
			if back {
				first := steps[0].Name // the menu itself, in a flow of one step
				steps[n-1].Next = func(v string) string {
					if v == "1" {
						return first
					}
					return ""
				}
				steps[n-1].Targets = []string{first}
			}
			return steps
		}
	}
	tests := []struct {
		name  string
		build func(n int) []Step
		keys  func(n int) []string
	}{
		{"linear", longSteps, func(n int) []string { return entries(n) }},
		{"plain last step", menu(false), func(n int) []string { return append(entries(n-1), "2") }},
		{"menu leading back", menu(true), func(n int) []string {
			keys := append(entries(n-1), "1")
			return append(keys, append(entries(n-1), "2")...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := longestFlow(t, master, tt.build)
			if n < 2 {
				t.Fatalf("New accepts only %d steps", n)
			}
			f, err := New(master, testAuthToken, tt.build(n), finishDone, WithPublicURL(testPublicURL))
			if err != nil {
				t.Fatal(err)
			}
			caller := flowtest.NewCaller(f, testWebhook, testAuthToken)
			caller.MaxRequests = 3 * n
			call := caller.Call(tt.keys(n)...)
			if call.LastSaid() != "Done." {
				t.Fatalf("%d steps: the call did not finish: %v %v after %d requests", n, call.End, call.Err, len(call.Requests))
			}
			longest, longestToken := 0, 0
			for _, req := range call.Requests {
				longest = max(longest, len(req.URL))
				u, err := url.Parse(req.URL)
				if err != nil {
					t.Fatal(err)
				}
				longestToken = max(longestToken, len(u.Query().Get(stateParam)))
			}
			if longest > twilioURLLimit {
				t.Errorf("%d steps: a %d-character action URL, over Twilio's %d", n, longest, twilioURLLimit)
			}
			// One more long field would not have fit: New is not stricter
			// than it needs to be.
			if oneMore := (fieldHeaderLen + aesSealedLen(maxDigits)) * 4 / 3; longestToken+oneMore <= maxTokenLen {
				t.Errorf("%d steps: longest token %d characters; %d more would fit in %d", n, longestToken, oneMore, maxTokenLen)
			}
			t.Logf("%d steps accepted; longest URL %d characters", n, longest)
		})
	}
}

// entries returns n entries of the most digits.
func entries(n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = strings.Repeat(strconv.Itoa(i%10), maxDigits)
	}
	return keys
}

// TestNewRefusesFortyLongSteps is the flow that once issued, at its 32nd
// step, a token it then refused.
func TestNewRefusesFortyLongSteps(t *testing.T) {
	_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, longSteps(40), finishDone, WithPublicURL(testPublicURL))
	if !errors.Is(err, ErrDefinition) {
		t.Fatalf("New = %v, want ErrDefinition", err)
	}
}

// paddedSealer seals with AES and appends pad bytes; sizedPaddedSealer
// also tells its size.
type paddedSealer struct {
	c   *aescrypt.Cipher
	pad int
	lie bool // sizedPaddedSealer reports the AES size whatever the padding
}

func (s paddedSealer) SealValue(dst, value []byte, _, _ string) ([]byte, error) {
	dst = s.c.SealBytes(dst, value, nil)
	return append(dst, make([]byte, s.pad)...), nil
}

type sizedPaddedSealer struct{ paddedSealer }

func (s sizedPaddedSealer) SealedLen(n int) int {
	if s.lie {
		return aescrypt.NonceSize + n + aescrypt.Overhead
	}
	return aescrypt.NonceSize + n + aescrypt.Overhead + s.pad
}

// TestNewSizesCustomSealers checks that a Sealer that tells its size is
// held to it, and one that does not is assumed to be AES-sized.
func TestNewSizesCustomSealers(t *testing.T) {
	master := aescrypt.New(aescrypt.GenerateKey())
	aesSized := longestFlow(t, master, longSteps)
	tests := []struct {
		name   string
		sealer Sealer
		fewer  bool // fewer steps fit than with AES
	}{
		{"unsized, assumed AES", paddedSealer{c: master, pad: 40}, false},
		{"sized, larger", sizedPaddedSealer{paddedSealer{c: master, pad: 40}}, true},
		{"sized, AES", sizedPaddedSealer{paddedSealer{c: master}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := longestFlow(t, master, longSteps, WithSealer(tt.sealer))
			if got := n < aesSized; got != tt.fewer {
				t.Fatalf("%d steps fit, %d with AES", n, aesSized)
			}
		})
	}
	t.Run("sealed value over a field's size", func(t *testing.T) {
		s := sizedPaddedSealer{paddedSealer{c: master, pad: maxFieldLen}}
		if _, err := New(master, testAuthToken, longSteps(1), finishDone, WithPublicURL(testPublicURL), WithSealer(s)); !errors.Is(err, ErrDefinition) {
			t.Fatalf("New = %v, want ErrDefinition", err)
		}
	})
}

// TestOversizedSealedValueFails checks that a Sealer whose value is larger
// than a field can hold, against what it said, fails the request instead
// of issuing a state that cannot be read.
func TestOversizedSealedValueFails(t *testing.T) {
	fx := newFixture(t)
	s := sizedPaddedSealer{paddedSealer{c: fx.master, pad: maxFieldLen, lie: true}}
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithSealer(s))
	rec := serve(f, fx.firstStep(t, f), callForm(testCallSid, "Digits", "1234"))
	if !apologized(rec) {
		t.Fatalf("got %d %s, want the apology", rec.Code, rec.Body)
	}
}
