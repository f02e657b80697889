package flow

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/encgather/encgather/twiml"
)

// tagSealer "seals" a value by framing it with its context, so a test can
// see what it was given. It fails when err is set.
type tagSealer struct {
	mu     sync.Mutex
	err    error
	fields []string
}

func (s *tagSealer) SealValue(dst, value []byte, field, callSid string) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	s.mu.Lock()
	s.fields = append(s.fields, field)
	s.mu.Unlock()
	dst = append(dst, field...)
	dst = append(dst, '|')
	dst = append(dst, callSid...)
	dst = append(dst, '|')
	return append(dst, bytes.Repeat([]byte{'x'}, len(value))...), nil
}

func TestWithSealer(t *testing.T) {
	fx := newFixture(t)
	s := &tagSealer{}
	var got *Result
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		got = r
		return []twiml.Verb{twiml.Say{Text: "done"}}, nil
	}
	f, err := New(fx.master, testAuthToken, tutorialSteps(), finish, WithPublicURL(testPublicURL), WithSealer(s))
	if err != nil {
		t.Fatal(err)
	}
	call := fx.caller(f).Call("1234", "4321")
	if call.LastSaid() != "done" {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	for _, name := range []string{"encryptedCardDigits", "encryptedPinDigits"} {
		want := hex.EncodeToString([]byte(name + "|" + call.Sid + "|xxxx"))
		if got.Sealed[name] != want {
			t.Errorf("Sealed[%s] = %q, want the Sealer's output %q", name, got.Sealed[name], want)
		}
		if _, err := fx.master.Open(got.Sealed[name], nil); err == nil {
			t.Errorf("Sealed[%s] opens with the master key: the master sealed it", name)
		}
	}
}

func TestSealerError(t *testing.T) {
	var logs bytes.Buffer
	fx := newFixture(t)
	f, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}),
		WithPublicURL(testPublicURL), WithSealer(&tagSealer{err: errors.New("sealer down")}),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	call := fx.caller(f).Call("1234")
	if got := call.LastSaid(); got != sayApology {
		t.Fatalf("last said %q, want the apology\n%s", got, call.Transcript())
	}
	if !strings.Contains(logs.String(), `"outcome":"seal_failed"`) || !strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("no seal_failed error logged:\n%s", logs.String())
	}
}

func TestWithSealerNil(t *testing.T) {
	fx := newFixture(t)
	_, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}),
		WithPublicURL(testPublicURL), WithSealer(nil))
	if !errors.Is(err, ErrDefinition) {
		t.Fatalf("WithSealer(nil): %v, want ErrDefinition", err)
	}
}
