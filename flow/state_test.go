package flow

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

const (
	testCallSid  = "CA0123456789abcdef0123456789abcdef"
	otherCallSid = "CAfedcba9876543210fedcba9876543210"
)

func testCodec(t testing.TB, steps ...string) (stateCodec, *aescrypt.Cipher) {
	t.Helper()
	master := aescrypt.New(aescrypt.GenerateKey())
	if len(steps) == 0 {
		steps = []string{"card", "pin"}
	}
	return newStateCodec(master, stepsNamed(steps...)), master
}

// stepsNamed returns steps of the default definition with the given names.
func stepsNamed(names ...string) []Step {
	steps := make([]Step, len(names))
	for i, name := range names {
		steps[i] = Step{Name: name, Digits: Exactly(4)}
	}
	return steps
}

func sampleState() *state {
	return &state{
		issuedAt: time.Unix(1_800_000_000, 0),
		attempt:  2,
		fields: []field{
			{step: 0, value: bytes.Repeat([]byte{0xAB}, 32)},
			{step: 1, plain: true, value: []byte("7")},
		},
	}
}

func TestStateRoundTrip(t *testing.T) {
	codec, _ := testCodec(t)
	want := sampleState()
	token := codec.seal(want, testCallSid, "pin")
	got, err := codec.open(token, testCallSid, "pin", 2)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if !got.issuedAt.Equal(want.issuedAt) || got.attempt != want.attempt || len(got.fields) != len(want.fields) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want.fields {
		g, w := got.fields[i], want.fields[i]
		if g.step != w.step || g.plain != w.plain || !bytes.Equal(g.value, w.value) {
			t.Errorf("field %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestStateRejects(t *testing.T) {
	codec, master := testCodec(t)
	token := codec.seal(sampleState(), testCallSid, "pin")
	otherFlow := newStateCodec(master, stepsNamed("card", "pin", "extra"))
	otherKey, _ := testCodec(t)

	tests := []struct {
		name    string
		codec   stateCodec
		token   string
		callSid string
		step    string
	}{
		{"other call", codec, token, otherCallSid, "pin"},
		{"other step", codec, token, testCallSid, "card"},
		{"other flow definition", otherFlow, token, testCallSid, "pin"},
		{"other key", otherKey, token, testCallSid, "pin"},
		{"empty", codec, "", testCallSid, "pin"},
		{"not base64url", codec, token[:20] + "+/" + token[22:], testCallSid, "pin"},
		{"truncated", codec, token[:len(token)-1], testCallSid, "pin"},
		{"extended", codec, token + "A", testCallSid, "pin"},
		{"oversized", codec, string(bytes.Repeat([]byte("A"), maxTokenLen+1)), testCallSid, "pin"},
		{"short", codec, "AAAA", testCallSid, "pin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if st, err := tt.codec.open(tt.token, tt.callSid, tt.step, 3); err != errState || st != nil {
				t.Fatalf("open = %v, %v; want nil, errState", st, err)
			}
		})
	}
}

// TestStateTamper changes every byte of a sealed token, one at a time.
func TestStateTamper(t *testing.T) {
	codec, _ := testCodec(t)
	token := codec.seal(sampleState(), testCallSid, "pin")
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		for _, flip := range []byte{0x01, 0x80, 0xFF} {
			tampered := bytes.Clone(raw)
			tampered[i] ^= flip
			if _, err := codec.open(base64.RawURLEncoding.EncodeToString(tampered), testCallSid, "pin", 2); err != errState {
				t.Fatalf("byte %d ^ %#x: open err = %v, want errState", i, flip, err)
			}
		}
	}
}

func TestStateSurvivesRotation(t *testing.T) {
	oldKey, newKey := aescrypt.GenerateKey(), aescrypt.GenerateKey()
	before := newStateCodec(aescrypt.New(oldKey), stepsNamed("card", "pin"))
	after := newStateCodec(aescrypt.New(newKey, oldKey), stepsNamed("card", "pin"))
	token := before.seal(sampleState(), testCallSid, "pin")
	if _, err := after.open(token, testCallSid, "pin", 2); err != nil {
		t.Fatalf("token sealed before rotation: %v", err)
	}
	retired := newStateCodec(aescrypt.New(newKey), stepsNamed("card", "pin"))
	if _, err := retired.open(token, testCallSid, "pin", 2); err != errState {
		t.Fatalf("token after the old key is retired: err = %v, want errState", err)
	}
}

// TestStateTenFieldsFitURL checks the promise that ten 4-digit fields stay
// well under 2,000 URL characters.
func TestStateTenFieldsFitURL(t *testing.T) {
	names := make([]string, 10)
	st := &state{issuedAt: time.Now(), attempt: 1}
	for i := range names {
		names[i] = "step" + string(rune('a'+i))
		st.fields = append(st.fields, field{step: int32(i), value: make([]byte, aescrypt.NonceSize+4+aescrypt.Overhead)})
	}
	codec := newStateCodec(aescrypt.New(aescrypt.GenerateKey()), stepsNamed(names...))
	token := codec.seal(st, testCallSid, "stepj")
	if n := len("?step=stepj&state=") + len(token); n >= 2000 {
		t.Fatalf("ten fields need %d URL characters, want < 2000", n)
	}
	t.Logf("ten 4-digit fields: %d-character token", len(token))
}

func TestDecodeStateRejectsMalformed(t *testing.T) {
	tests := map[string][]byte{
		"empty":            nil,
		"wrong version":    {9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
		"missing fields":   {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1},
		"field step range": {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 7, 0, 0, 1, 'x'},
		"short field":      {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 5, 'x'},
		"one-byte length":  {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 'x'},
		"version 1":        {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 'x'},
		"trailing bytes":   {stateVersion, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeState(in, 2); err != errState {
				t.Fatalf("err = %v, want errState", err)
			}
		})
	}
}

// TestDecodeTokenStrict checks that a token has one spelling: bits beyond
// the last byte must be zero.
func TestDecodeTokenStrict(t *testing.T) {
	tests := []struct {
		name  string
		token string
		ok    bool
	}{
		{"whole quanta", "AAAA", true},
		{"two bytes, spare bits zero", "AAE", true},
		{"two bytes, spare bit set", "AAF", false},
		{"one byte, spare bits zero", "AQ", true},
		{"one byte, spare bit set", "AR", false},
		{"spare bit set after a full chunk", strings.Repeat("A", 128) + "AR", false},
		{"padding", "AQ==", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]byte, len(tt.token))
			if _, ok := decodeToken(dst, tt.token); ok != tt.ok {
				t.Fatalf("decodeToken(%q) ok = %v, want %v", tt.token, ok, tt.ok)
			}
		})
	}
}

// TestTokenRefusesForeignBytes checks that a token is read as it was
// written, with nothing added: base64 decoding skips CR and LF, so a
// token with a line break (or any byte outside the base64url alphabet)
// would otherwise open as a second spelling of the same state.
func TestTokenRefusesForeignBytes(t *testing.T) {
	codec, _ := testCodec(t)
	token := codec.seal(sampleState(), testCallSid, "pin")
	if _, err := codec.open(token, testCallSid, "pin", 2); err != nil {
		t.Fatalf("the token itself: %v", err)
	}
	mid := len(token) / 2
	cases := map[string]string{
		"trailing LF":    token + "\n",
		"trailing CR":    token + "\r",
		"CRLF inside":    token[:mid] + "\r\n" + token[mid:],
		"LF at start":    "\n" + token,
		"space":          token[:mid] + " " + token[mid:],
		"padding":        token + "=",
		"plus":           token[:mid] + "+" + token[mid+1:],
		"slash":          token[:mid] + "/" + token[mid+1:],
		"NUL":            token + "\x00",
		"non-ASCII":      token[:mid] + "é" + token[mid:],
		"tab at the end": token + "\t",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := codec.open(tok, testCallSid, "pin", 2); err == nil {
				t.Fatalf("a token with a foreign byte opened")
			}
		})
	}
}

// TestDefinitionHashCoversTheGraph: a change to anything that shapes a
// call changes the fingerprint, so no token crosses definitions.
func TestDefinitionHashCoversTheGraph(t *testing.T) {
	base := func() []Step {
		return []Step{
			{Name: "menu", Plain: true, Digits: Exactly(1), Next: func(string) string { return "" }, Targets: []string{"pin"}},
			{Name: "card", Digits: Between(12, 19), Reveals: []string{"brand"}},
			{Name: "pin", Digits: Exactly(4)},
		}
	}
	changes := map[string]func(s []Step){
		"Then":          func(s []Step) { s[1].Then = End },
		"Targets":       func(s []Step) { s[0].Targets = []string{"pin", End} },
		"input":         func(s []Step) { s[2].Input = InputKeysOrSpeech },
		"speech length": func(s []Step) { s[2].MaxSpeechLen = 8 },
		"normalizer":    func(s []Step) { s[2].Normalize = SpokenDigits },
		"facts":         func(s []Step) { s[1].Reveals = []string{"brand", "last4"} },
		"fact name":     func(s []Step) { s[1].Reveals = []string{"scheme"} },
		"digit bounds":  func(s []Step) { s[1].Digits = Between(12, 16) },
		"finish key":    func(s []Step) { s[1].Digits.FinishOnKey = "*" },
		"interrupt key": func(s []Step) { s[2].InterruptKey = "*" },
		"plain":         func(s []Step) { s[2].Plain = true },
		"no Next":       func(s []Step) { s[0].Next = nil },
	}
	want := string(definitionHash(base()))
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			steps := base()
			change(steps)
			if string(definitionHash(steps)) == want {
				t.Errorf("a change of %s keeps the fingerprint", name)
			}
		})
	}
}
