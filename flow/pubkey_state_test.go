package flow

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/pubseal"
	"github.com/encgather/encgather/twiml"
)

// pubkeySealedLen is the size of a 4-digit value sealed under kem, as a
// state stores it.
func pubkeySealedLen(t testing.TB, kem pubseal.KEM) int {
	t.Helper()
	k, err := pubseal.GenerateKey(kem)
	if err != nil {
		t.Fatal(err)
	}
	return k.PublicKey().SealedLen(4)
}

// TestStateLongFields: a public-key Sealer's values are longer than 255
// bytes under MLKEM768-X25519 (1,147 for four digits); a state carries
// them whole. With a one-byte length they were cut short.
func TestStateLongFields(t *testing.T) {
	codec, _ := testCodec(t)
	for _, n := range []int{255, 256, pubkeySealedLen(t, pubseal.MLKEM768X25519), 4096} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			want := &state{issuedAt: time.Unix(1_800_000_000, 0), attempt: 1, fields: []field{
				{step: 0, value: bytes.Repeat([]byte{0xA5}, n)},
				{step: 1, plain: true, value: []byte("7")},
			}}
			token := codec.seal(want, testCallSid, "pin")
			got, err := codec.open(token, testCallSid, "pin", 2)
			if len(token) > maxTokenLen {
				if err != errState {
					t.Fatalf("a %d-character token opened: %v", len(token), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			if len(got.fields) != 2 || !bytes.Equal(got.fields[0].value, want.fields[0].value) ||
				!bytes.Equal(got.fields[1].value, want.fields[1].value) {
				t.Fatalf("fields changed: got %d fields, first of %d bytes", len(got.fields), len(got.fields[0].value))
			}
		})
	}
}

// TestStateTamperLongField changes every byte of a token that carries a
// post-quantum sealed value.
func TestStateTamperLongField(t *testing.T) {
	codec, _ := testCodec(t)
	st := &state{issuedAt: time.Unix(1_800_000_000, 0), attempt: 1, fields: []field{
		{step: 0, value: bytes.Repeat([]byte{0x5A}, pubkeySealedLen(t, pubseal.MLKEM768X25519))},
	}}
	raw, err := base64.RawURLEncoding.DecodeString(codec.seal(st, testCallSid, "pin"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		tampered := bytes.Clone(raw)
		tampered[i] ^= 0x01
		if _, err := codec.open(base64.RawURLEncoding.EncodeToString(tampered), testCallSid, "pin", 2); err != errState {
			t.Fatalf("byte %d changed: open err = %v, want errState", i, err)
		}
	}
}

// worstActionURL is the longest action URL a flow of steps 4-digit
// sensitive steps issues with values of sealedLen bytes: the one that asks
// the last step, carrying every value before it, with the webhook's public
// URL in front (Twilio resolves the relative action against it).
func worstActionURL(t *testing.T, steps, sealedLen int) string {
	t.Helper()
	defs := fourDigitSteps(steps)
	st := &state{issuedAt: time.Now(), attempt: 1}
	for i := range steps - 1 {
		st.fields = append(st.fields, field{step: int32(i), value: make([]byte, sealedLen)})
	}
	codec := newStateCodec(aescrypt.New(aescrypt.GenerateKey()), defs)
	last := defs[steps-1].Name
	return testWebhook + string(appendActionPrefix(nil, "", last)) + codec.seal(st, testCallSid, last)
}

func fourDigitSteps(n int) []Step {
	steps := make([]Step, n)
	for i := range steps {
		steps[i] = Step{Name: fmt.Sprintf("step%02d", i), Digits: Exactly(4),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter 4 digits."}}}
	}
	return steps
}

// TestPublicKeyActionURLSizes measures the action URLs of the tutorial's
// two fields and of ten fields under each Sealer against Twilio's
// documented URL limit (twilioURLLimit), and checks that New accepts each
// flow that fits and refuses the one that does not: ten post-quantum
// values.
func TestPublicKeyActionURLSizes(t *testing.T) {
	for _, s := range testSealers {
		opts, sealedLen := s.options(t)
		for _, steps := range []int{2, 10} {
			t.Run(fmt.Sprintf("%s/%d fields", s.name, steps), func(t *testing.T) {
				n := len(worstActionURL(t, steps, sealedLen))
				_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, fourDigitSteps(steps), finishDone,
					append([]Option{WithPublicURL(testPublicURL)}, opts...)...)
				t.Logf("%d-byte sealed values: action URL of up to %d characters; New: %v", sealedLen, n, err)
				wantAccepted := s.kem != pubseal.MLKEM768X25519 || steps == 2
				if accepted := err == nil; accepted != wantAccepted {
					t.Fatalf("New accepted = %v, want %v (%v)", accepted, wantAccepted, err)
				}
				if err != nil && !errors.Is(err, ErrDefinition) {
					t.Fatalf("New = %v, want ErrDefinition", err)
				}
				if fits := n <= twilioURLLimit; fits != wantAccepted {
					t.Fatalf("%d characters: fits in Twilio's %d = %v, want %v", n, twilioURLLimit, fits, wantAccepted)
				}
			})
		}
	}
}

// TestMaxFieldLenFits: a value of maxFieldLen bytes, alone in a state,
// fits in a token; one byte more does not. Its length fits in two bytes.
func TestMaxFieldLenFits(t *testing.T) {
	codec, _ := testCodec(t)
	for _, n := range []int{maxFieldLen, maxFieldLen + 1} {
		issued := time.Unix(1_800_000_000, 0)
		st := &state{issuedAt: issued, expires: issued.Add(maxLife * time.Second), requests: maxRequestsLimit,
			attempt: 1, fields: []field{{step: 0, value: make([]byte, n)}}}
		token := codec.seal(st, testCallSid, "pin")
		if fits := len(token) <= maxTokenLen; fits != (n == maxFieldLen) {
			t.Errorf("a %d-byte value: a %d-character token; fits in %d = %v", n, len(token), maxTokenLen, fits)
		}
	}
	if maxFieldLen > 0xFFFF {
		t.Fatalf("maxFieldLen %d does not fit the two-byte length", maxFieldLen)
	}
}

// FuzzDecodeState feeds decodeState any plaintext, long length prefixes
// included: it never panics, and what it accepts round-trips through seal.
func FuzzDecodeState(f *testing.F) {
	codec, _ := testCodec(f)
	head := []byte{stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 90, 1, 1, 1} // life 90 s, attempt 1, request 1, one field
	f.Add(append(head, 0, fieldPlain, 1, 'x'))
	f.Add(append(head, 0, 0, 0xFF, 0x7F, 'x'))
	f.Add(append(head, 0, fieldReference, referenceLen, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'))
	f.Add(append(head, 1, fieldFacts, 1, 'x', 5, 4, 'V', 'I', 'S', 'A'))
	f.Add(append(append(head, 0, 0, 0x80, 0x09), make([]byte, 1152)...))
	f.Fuzz(func(t *testing.T, plaintext []byte) {
		st, err := decodeState(plaintext, 2)
		if err != nil {
			return
		}
		again, err := codec.open(codec.seal(st, testCallSid, "pin"), testCallSid, "pin", 2)
		if len(plaintext) <= maxFieldLen && err != nil {
			t.Fatalf("an accepted state of %d bytes does not round-trip: %v", len(plaintext), err)
		}
		if err == nil && len(again.fields) != len(st.fields) {
			t.Fatalf("%d fields, %d after a round trip", len(st.fields), len(again.fields))
		}
	})
}
