package pubseal

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
)

const callSid = "CA0123456789abcdef0123456789abcdef"

var kems = []KEM{X25519, MLKEM768X25519}

func mustGenerate(t testing.TB, kem KEM) *PrivateKey {
	t.Helper()
	k, err := GenerateKey(kem)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustSeal(t testing.TB, pk *PublicKey, value, field, sid string) string {
	t.Helper()
	sealed, err := pk.Seal([]byte(value), field, sid)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func TestSealOpenRoundTrip(t *testing.T) {
	for _, kem := range kems {
		t.Run(kem.String(), func(t *testing.T) {
			k := mustGenerate(t, kem)
			keys := NewPrivateKeys(k)
			for _, value := range []string{"", "1", "1234", "4111111111111111", strings.Repeat("9", MaxValueSize)} {
				sealed := mustSeal(t, k.PublicKey(), value, "encryptedCardDigits", callSid)
				if len(sealed) != SealedLen(kem, len(value)) {
					t.Errorf("len(Seal(%d bytes)) = %d, want SealedLen %d", len(value), len(sealed), SealedLen(kem, len(value)))
				}
				if sealed != strings.ToLower(sealed) {
					t.Errorf("Seal is not lowercase hex")
				}
				got, opener, err := keys.OpenKey(sealed, "encryptedCardDigits", callSid)
				if err != nil || string(got) != value || opener != k {
					t.Errorf("OpenKey(Seal(%d bytes)) = %d bytes, %v, %v", len(value), len(got), opener, err)
				}
			}
		})
	}
}

func TestSealIsRandomized(t *testing.T) {
	pk := mustGenerate(t, X25519).PublicKey()
	first, second := mustSeal(t, pk, "1234", "f", callSid), mustSeal(t, pk, "1234", "f", callSid)
	if first == second {
		t.Fatal("two seals of the same value are equal")
	}
}

// TestSealedHeader checks the layout the package documentation promises.
func TestSealedHeader(t *testing.T) {
	for _, kem := range kems {
		t.Run(kem.String(), func(t *testing.T) {
			k := mustGenerate(t, kem)
			raw, _ := hex.DecodeString(mustSeal(t, k.PublicKey(), "1234", "f", callSid))
			want := []byte{Version, byte(kem >> 8), byte(kem)}
			id, _ := hex.DecodeString(k.ID())
			want = append(want, id...)
			if !bytes.Equal(raw[:HeaderSize], want) {
				t.Fatalf("header %x, want %x", raw[:HeaderSize], want)
			}
			if len(raw) != HeaderSize+kem.encSize()+4+Overhead {
				t.Fatalf("length %d", len(raw))
			}
		})
	}
}

// TestOpenTamper flips each byte of a sealed value, header included, and
// expects ErrOpen.
func TestOpenTamper(t *testing.T) {
	for _, kem := range kems {
		t.Run(kem.String(), func(t *testing.T) {
			k := mustGenerate(t, kem)
			keys := NewPrivateKeys(k)
			raw, _ := hex.DecodeString(mustSeal(t, k.PublicKey(), "1234", "f", callSid))
			for i := range raw {
				for _, flip := range []byte{0x01, 0x80} {
					tampered := bytes.Clone(raw)
					tampered[i] ^= flip
					if _, err := keys.Open(hex.EncodeToString(tampered), "f", callSid); err != ErrOpen {
						t.Fatalf("byte %d ^ %#x: err = %v, want ErrOpen", i, flip, err)
					}
				}
			}
		})
	}
}

// TestOpenBinding: a value opens only for its field, its call and its key.
func TestOpenBinding(t *testing.T) {
	for _, kem := range kems {
		t.Run(kem.String(), func(t *testing.T) {
			k := mustGenerate(t, kem)
			sealed := mustSeal(t, k.PublicKey(), "1234", "encryptedCardDigits", callSid)
			foreign := mustGenerate(t, kem)
			tests := []struct {
				name, field, sid string
				keys             *PrivateKeys
			}{
				{"other field", "encryptedPinDigits", callSid, NewPrivateKeys(k)},
				{"field prefix", "encryptedCardDigit", callSid, NewPrivateKeys(k)},
				{"other call", "encryptedCardDigits", "CA" + strings.Repeat("0", 32), NewPrivateKeys(k)},
				{"no call", "encryptedCardDigits", "", NewPrivateKeys(k)},
				{"field and call run together", "encryptedCardDigits\x00" + callSid, "", NewPrivateKeys(k)},
				{"foreign key", "encryptedCardDigits", callSid, NewPrivateKeys(foreign)},
				{"other KEM", "encryptedCardDigits", callSid, NewPrivateKeys(mustGenerate(t, otherKEM(kem)))},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if got, err := tt.keys.Open(sealed, tt.field, tt.sid); err != ErrOpen || got != nil {
						t.Fatalf("Open = %q, %v; want nil, ErrOpen", got, err)
					}
				})
			}
			if _, err := NewPrivateKeys(foreign, k).Open(sealed, "encryptedCardDigits", callSid); err != nil {
				t.Fatalf("the right key, second in the set, did not open: %v", err)
			}
		})
	}
}

func otherKEM(k KEM) KEM {
	if k == X25519 {
		return MLKEM768X25519
	}
	return X25519
}

// TestForeignKeyWithSameID: a key whose ID is forged to match still fails.
func TestForeignKeyWithSameID(t *testing.T) {
	k, foreign := mustGenerate(t, X25519), mustGenerate(t, X25519)
	foreign.s.pub.id = k.s.pub.id
	sealed := mustSeal(t, k.PublicKey(), "1234", "f", callSid)
	if _, err := NewPrivateKeys(foreign).Open(sealed, "f", callSid); err != ErrOpen {
		t.Fatalf("err = %v, want ErrOpen", err)
	}
}

func TestOpenFailuresAreOpaque(t *testing.T) {
	k := mustGenerate(t, X25519)
	keys := NewPrivateKeys(k)
	sealed := mustSeal(t, k.PublicKey(), "1234", "f", callSid)
	withByte := func(i int, b byte) string {
		raw, _ := hex.DecodeString(sealed)
		raw[i] = b
		return hex.EncodeToString(raw)
	}
	tests := map[string]string{
		"empty":          "",
		"odd length":     sealed[:len(sealed)-1],
		"upper case":     strings.ToUpper(sealed),
		"not hex":        "zz" + sealed[2:],
		"too short":      sealed[:SealedLen(X25519, 0)-2],
		"too long":       strings.Repeat("00", MaxSealedLen/2+1),
		"truncated tag":  sealed[:len(sealed)-2],
		"extra byte":     sealed + "00",
		"space":          " " + sealed[1:],
		"version 0":      withByte(0, 0),
		"version 2":      withByte(0, 2),
		"unknown KEM":    withByte(2, 0x21),
		"unknown key ID": withByte(3, k.s.pub.id[0]^1),
		"oversized value": mustSeal(t, k.PublicKey(), strings.Repeat("1", MaxValueSize), "f", callSid)[:SealedLen(X25519, 0)] +
			strings.Repeat("00", MaxValueSize+1),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := keys.Open(in, "f", callSid)
			if err != ErrOpen || got != nil {
				t.Fatalf("Open = %q, %v; want nil, ErrOpen", got, err)
			}
			if err.Error() != "pubseal: message authentication failed" {
				t.Fatalf("error text %q says more than it should", err)
			}
		})
	}
}

func TestSealInputErrors(t *testing.T) {
	pk := mustGenerate(t, X25519).PublicKey()
	tests := []struct {
		name, value, field string
	}{
		{"value too long", strings.Repeat("7", MaxValueSize+1), "f"},
		{"empty field", "1234", ""},
		{"NUL in field", "1234", "card\x00pin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("prefix")
			out, err := pk.SealValue(dst, []byte(tt.value), tt.field, callSid)
			if !errors.Is(err, ErrInput) {
				t.Fatalf("err = %v, want ErrInput", err)
			}
			if string(out) != "prefix" {
				t.Fatalf("SealValue changed dst on error: %q", out)
			}
			if strings.Contains(err.Error(), "7777") {
				t.Fatalf("error %q quotes the value", err)
			}
			if s, err := pk.Seal([]byte(tt.value), tt.field, callSid); s != "" || !errors.Is(err, ErrInput) {
				t.Fatalf("Seal = %q, %v", s, err)
			}
		})
	}
}

func TestSealValueAppends(t *testing.T) {
	k := mustGenerate(t, X25519)
	out, err := k.PublicKey().SealValue([]byte("token="), []byte("1234"), "f", callSid)
	if err != nil {
		t.Fatal(err)
	}
	sealed, ok := strings.CutPrefix(string(out), "token=")
	if !ok {
		t.Fatalf("SealValue did not append: %q", out)
	}
	if got, err := NewPrivateKeys(k).Open(sealed, "f", callSid); err != nil || string(got) != "1234" {
		t.Fatalf("Open = %q, %v", got, err)
	}
}

func TestRotation(t *testing.T) {
	old, current, next := mustGenerate(t, X25519), mustGenerate(t, X25519), mustGenerate(t, MLKEM768X25519)
	sealedBy := map[*PrivateKey]string{}
	for _, k := range []*PrivateKey{old, current, next} {
		sealedBy[k] = mustSeal(t, k.PublicKey(), "1234", "f", callSid)
	}
	tests := []struct {
		name  string
		keys  *PrivateKeys
		opens []*PrivateKey
	}{
		{"only old", NewPrivateKeys(old), []*PrivateKey{old}},
		{"current promoted, old kept", NewPrivateKeys(current, old), []*PrivateKey{current, old}},
		{"next added, another KEM", NewPrivateKeys(current, old, next), []*PrivateKey{current, old, next}},
		{"old retired", NewPrivateKeys(next, current), []*PrivateKey{next, current}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, sealed := range sealedBy {
				want := false
				for _, o := range tt.opens {
					want = want || o == k
				}
				_, opener, err := tt.keys.OpenKey(sealed, "f", callSid)
				if (err == nil) != want {
					t.Errorf("value sealed to %v: err = %v, want opened = %v", k, err, want)
				}
				if err == nil && opener != k {
					t.Errorf("value sealed to %v reported as opened by %v", k, opener)
				}
			}
		})
	}
}

func TestNewPrivateKeysPanics(t *testing.T) {
	tests := map[string][]*PrivateKey{
		"none":     nil,
		"nil key":  {mustGenerate(t, X25519), nil},
		"zero key": {{}},
	}
	for name, keys := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); !strings.HasPrefix(msg, "pubseal: NewPrivateKeys") {
					t.Fatalf("panic = %q", msg)
				}
			}()
			NewPrivateKeys(keys...)
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	k := mustGenerate(t, X25519)
	keys, pk := NewPrivateKeys(mustGenerate(t, X25519), k), k.PublicKey()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			for range 50 {
				sealed, err := pk.Seal([]byte("1234"), "f", callSid)
				if err != nil {
					errs <- err
					return
				}
				if got, err := keys.Open(sealed, "f", callSid); err != nil || string(got) != "1234" {
					errs <- errors.New("concurrent round trip failed")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// TestZeroValuesPanic: using a key or key set this package did not make is
// a programming error, reported by a panic that says so, never a nil
// dereference and never a silent ErrOpen.
func TestZeroValuesPanic(t *testing.T) {
	uses := map[string]func(){
		"PublicKey.Seal":      func() { _, _ = new(PublicKey).Seal([]byte("1"), "f", callSid) },
		"PublicKey.SealValue": func() { _, _ = new(PublicKey).SealValue(nil, []byte("1"), "f", callSid) },
		"nil PublicKey.Seal":  func() { _, _ = (*PublicKey)(nil).Seal([]byte("1"), "f", callSid) },
		"PublicKey.String":    func() { _ = new(PublicKey).String() },
		"PrivateKey.ID":       func() { _ = new(PrivateKey).ID() },
		"PrivateKey.Export":   func() { _ = new(PrivateKey).ExportText() },
		"nil PrivateKey.KEM":  func() { _ = (*PrivateKey)(nil).KEM() },
		"PrivateKeys.Open":    func() { _, _ = new(PrivateKeys).Open("00", "f", callSid) },
		"nil PrivateKeys.Open": func() {
			_, _, _ = (*PrivateKeys)(nil).OpenKey("00", "f", callSid)
		},
		"PrivateKeys.Keys": func() { _ = new(PrivateKeys).Keys() },
	}
	for name, use := range uses {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "pubseal: use of a zero ") {
					t.Fatalf("panic = %q, want a clear message", msg)
				}
			}()
			use()
		})
	}
}
