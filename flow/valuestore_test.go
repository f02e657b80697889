package flow

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/pubseal"
	"github.com/encgather/encgather/twiml"
)

// cardLikeSteps are a card capture's steps as package flow/card makes
// them, the security code kept off the URL.
func cardLikeSteps(offURL bool) []Step {
	say := func(s string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: s}} }
	return []Step{
		{Name: "payment-card-number", Digits: Between(12, 19), Validate: Luhn, Prompt: say("Card number."), InterruptKey: "*"},
		{Name: "expiration-date", Digits: Exactly(4), Prompt: say("Expiry."), InterruptKey: "*"},
		{Name: "security-code", Digits: Between(3, 4), Prompt: say("Code."), InterruptKey: "*", OffURL: offURL},
	}
}

// recordingValueStore is a MemoryValueStore that remembers what it was
// given.
type recordingValueStore struct {
	*MemoryValueStore
	puts [][]byte
}

func (s *recordingValueStore) Put(ctx context.Context, ref Reference, sealed []byte, ttl time.Duration) error {
	s.puts = append(s.puts, append([]byte(nil), sealed...))
	return s.MemoryValueStore.Put(ctx, ref, sealed, ttl)
}

// TestOffURLTokensHoldOnlyAReference opens every state token of a whole
// card call: the security code's field is a reference, never its sealed
// value, which reaches Finish from the store and is gone from it after.
func TestOffURLTokensHoldOnlyAReference(t *testing.T) {
	master := aescrypt.New(aescrypt.GenerateKey())
	store := &recordingValueStore{MemoryValueStore: NewMemoryValueStore()}
	capture := &sealedCapture{}
	var logs bytes.Buffer
	steps := append(cardLikeSteps(true), Step{Name: "postal-code", Digits: Between(1, 10),
		Prompt: []twiml.GatherVerb{twiml.Say{Text: "Zip."}}, InterruptKey: "*"})
	f, err := New(master, testAuthToken, steps, capture.finish, WithPublicURL(testPublicURL),
		WithValueStore(store), WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call("4111111111111111#", "1228", "987#", "94105#")
	if len(capture.results) != 1 {
		t.Fatalf("the call did not finish:\n%s", call.Transcript())
	}
	code := 2
	tokens, carried := 0, 0
	for _, r := range call.Requests {
		u, err := url.Parse(r.URL)
		if err != nil {
			t.Fatal(err)
		}
		token := u.Query().Get(stateParam)
		if token == "" {
			continue
		}
		st, err := f.states.open(token, call.Sid, u.Query().Get(stepParam), len(f.steps))
		if err != nil {
			t.Fatalf("opening a token of the call: %v", err)
		}
		tokens++
		for _, fl := range st.fields {
			if int(fl.step) != code {
				continue
			}
			carried++
			if !fl.reference || len(fl.value) != referenceLen {
				t.Errorf("security code field in a token: reference %v, %d bytes", fl.reference, len(fl.value))
			}
			for _, put := range store.puts {
				if bytes.Contains([]byte(token), put) || bytes.Equal(fl.value, put) {
					t.Error("a token holds the sealed security code")
				}
			}
		}
	}
	if tokens < 4 || carried != 1 {
		t.Errorf("opened %d tokens, %d carrying the security code; want every step's, and the postal code's carrying it", tokens, carried)
	}
	if len(store.puts) != 1 {
		t.Fatalf("store was given %d values, want the security code alone", len(store.puts))
	}
	sealed := capture.results[0].Sealed["security-code"]
	got, err := master.Open(sealed, nil)
	if err != nil || string(got) != "987" {
		t.Errorf("Finish got a security code that opens to %q, %v", got, err)
	}
	if store.Len() != 0 {
		t.Errorf("the store holds %d values after the call ended, want 0", store.Len())
	}
	if strings.Contains(logs.String(), "4111111111111111") || strings.Contains(logs.String(), sealed) {
		t.Error("the card number or the sealed code is in the log")
	}
}

// TestOffURLEndings checks that the values go once a call ends in any
// way, whether Finish runs or not.
func TestOffURLEndings(t *testing.T) {
	tests := []struct {
		name    string
		opts    []Option
		entries []string
	}{
		{"hang up, no finish", nil, []string{"4111111111111111#", "1228", "987#" + "", flowtest.HangUp}},
		{"interrupted after the code", []Option{WithEveryEnding()}, []string{"4111111111111111#", "1228", "987#"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := append(cardLikeSteps(true), Step{Name: "confirm", Plain: true, Digits: Exactly(1),
				Prompt: []twiml.GatherVerb{twiml.Say{Text: "Press 1."}}, InterruptKey: "*"})
			store := NewMemoryValueStore()
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps, (&sealedCapture{}).finish,
				append([]Option{WithPublicURL(testPublicURL), WithValueStore(store), WithLogger(slog.New(slog.DiscardHandler))}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			entries := tt.entries
			if !strings.HasPrefix(tt.name, "hang") {
				entries = append(entries, "*")
			}
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(entries...)
			if len(call.Unused) != 0 {
				t.Fatalf("call ended early:\n%s", call.Transcript())
			}
			if store.Len() != 0 {
				t.Errorf("store holds %d values after the call", store.Len())
			}
		})
	}
}

func TestOffURLRefused(t *testing.T) {
	plain := cardLikeSteps(false)
	plain[1].Plain, plain[1].OffURL = true, true
	tests := []struct {
		name  string
		steps []Step
		opts  []Option
	}{
		{"no value store", cardLikeSteps(true), nil},
		{"plain step", plain, []Option{WithValueStore(NewMemoryValueStore())}},
		{"nil store", cardLikeSteps(true), []Option{WithValueStore(nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, tt.steps, (&sealedCapture{}).finish,
				append([]Option{WithPublicURL(testPublicURL)}, tt.opts...)...)
			if !errors.Is(err, ErrDefinition) {
				t.Errorf("New: %v, want ErrDefinition", err)
			}
		})
	}
}

// failingValueStore refuses every Put.
type failingValueStore struct{ *MemoryValueStore }

func (failingValueStore) Put(context.Context, Reference, []byte, time.Duration) error {
	return errors.New("store down")
}

func TestOffURLStoreDown(t *testing.T) {
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, cardLikeSteps(true), (&sealedCapture{}).finish,
		WithPublicURL(testPublicURL), WithValueStore(failingValueStore{NewMemoryValueStore()}), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call("4111111111111111#", "1228", "987#")
	if call.LastSaid() != DefaultSentences().Apology {
		t.Errorf("a store that cannot keep the value: last said %q, want the apology", call.LastSaid())
	}
}

// TestOffURLActionLength measures the longest action URL of a card call
// with a post-quantum Sealer (ML-KEM-768+X25519): its three values in
// the URL, and with a postal code too, all four off it, which New refuses
// in the URL. These are the figures the README quotes.
func TestOffURLActionLength(t *testing.T) {
	key, err := pubseal.GenerateKey(pubseal.MLKEM768X25519)
	if err != nil {
		t.Fatal(err)
	}
	postal := Step{Name: "postal-code", Digits: Between(1, 10), Prompt: []twiml.GatherVerb{twiml.Say{Text: "Zip."}}}
	tests := []struct {
		name    string
		postal  bool
		off     bool
		refused bool
		most    int // the longest action URL allowed
	}{
		{"three values in the URL", false, false, false, 4000},
		{"four values in the URL", true, false, true, 0},
		{"four values off the URL", true, true, false, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := cardLikeSteps(false)
			entries := []string{"4111111111111111#", "1228", "987#"}
			if tt.postal {
				steps, entries = append(steps, postal), append(entries, "94105#")
			}
			for i := range steps {
				steps[i].OffURL = tt.off
			}
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps, (&sealedCapture{}).finish,
				WithPublicURL(testPublicURL), WithSealer(key.PublicKey()), WithValueStore(NewMemoryValueStore()),
				WithLogger(slog.New(slog.DiscardHandler)))
			if tt.refused {
				if !errors.Is(err, ErrDefinition) {
					t.Fatalf("New: %v, want the token size refused", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(entries...)
			longest := 0
			for _, r := range call.Requests {
				longest = max(longest, len(r.URL))
			}
			t.Logf("longest action URL: %d characters", longest)
			if len(call.Unused) != 0 || longest > tt.most {
				t.Errorf("longest action URL %d characters, want at most %d\n%s", longest, tt.most, call.Transcript())
			}
		})
	}
}

func TestMemoryValueStore(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	m := NewMemoryValueStore()
	m.now = func() time.Time { return now }
	a, b := Reference{1}, Reference{2}
	if err := m.Put(t.Context(), a, []byte("sealed-a"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := m.Put(t.Context(), b, []byte("sealed-b"), 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		at    time.Duration
		ref   Reference
		value string // "" for not found
	}{
		{"fresh", 0, a, "sealed-a"},
		{"just before expiry", time.Minute - time.Nanosecond, a, "sealed-a"},
		{"at expiry", time.Minute, a, ""},
		{"longer ttl", time.Minute, b, "sealed-b"},
		{"never put", 0, Reference{3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m.now = func() time.Time { return now.Add(tt.at) }
			got, err := m.Get(t.Context(), tt.ref)
			switch {
			case tt.value == "" && !errors.Is(err, ErrValueNotFound):
				t.Errorf("Get = %q, %v; want ErrValueNotFound", got, err)
			case tt.value != "" && (err != nil || string(got) != tt.value):
				t.Errorf("Get = %q, %v; want %q", got, err, tt.value)
			}
		})
	}
	if err := m.Put(t.Context(), a, nil, 0); err == nil {
		t.Error("Put with no ttl accepted")
	}
	m.now = func() time.Time { return now.Add(time.Minute + memorySweepEvery) }
	if err := m.Put(t.Context(), Reference{4}, []byte("sealed-c"), time.Minute); err != nil || m.Len() != 2 {
		t.Errorf("Put: %v, %d values; want the expired one swept, 2 left", err, m.Len())
	}
	if err := m.Delete(t.Context(), b, Reference{4}, Reference{5}); err != nil || m.Len() != 0 {
		t.Errorf("Delete: %v, %d values left; want none", err, m.Len())
	}
}
