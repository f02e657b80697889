package pubseal

import (
	"errors"
	"strings"
	"testing"
)

func TestKeyTextRoundTrip(t *testing.T) {
	for _, kem := range kems {
		t.Run(kem.String(), func(t *testing.T) {
			k := mustGenerate(t, kem)
			text := k.ExportText()
			if !strings.HasPrefix(text, PrivateKeyPrefix+kem.String()+"-") {
				t.Fatalf("private text form %.40s…", text)
			}
			again, err := ParsePrivateKey(text)
			if err != nil {
				t.Fatal(err)
			}
			if again.ID() != k.ID() || again.KEM() != kem || again.ExportText() != text {
				t.Fatal("private key changed in a round trip")
			}
			pubText := k.PublicKey().String()
			if !strings.HasPrefix(pubText, PublicKeyPrefix+kem.String()+"-") {
				t.Fatalf("public text form %.40s…", pubText)
			}
			pk, err := ParsePublicKey(pubText)
			if err != nil {
				t.Fatal(err)
			}
			if pk.ID() != k.ID() || pk.KEM() != kem || pk.String() != pubText {
				t.Fatal("public key changed in a round trip")
			}
			if mt, _ := pk.MarshalText(); string(mt) != pubText {
				t.Fatal("MarshalText is not String")
			}
			// A value sealed to the parsed public key opens with the parsed private key.
			sealed := mustSeal(t, pk, "1234", "f", callSid)
			if got, err := NewPrivateKeys(again).Open(sealed, "f", callSid); err != nil || string(got) != "1234" {
				t.Fatalf("Open = %q, %v", got, err)
			}
		})
	}
}

func TestKeyIDs(t *testing.T) {
	a, b := mustGenerate(t, X25519), mustGenerate(t, X25519)
	if len(a.ID()) != 2*IDSize || a.ID() == b.ID() {
		t.Fatalf("IDs %q and %q", a.ID(), b.ID())
	}
	if a.ID() != a.PublicKey().ID() {
		t.Fatal("a private key's ID is not its public key's")
	}
	if strings.Contains(a.PublicKey().String(), a.ID()) || strings.Contains(a.ExportText(), a.ID()) {
		t.Fatal("the ID is a slice of the key")
	}
}

func TestParseKeyErrors(t *testing.T) {
	x := mustGenerate(t, X25519)
	secret := x.ExportText()
	secretHex := secret[len(PrivateKeyPrefix+"x25519-"):]
	pub := x.PublicKey().String()
	pubHex := pub[len(PublicKeyPrefix+"x25519-"):]
	tests := []struct {
		name, in string
		private  bool // parsed as a private key
	}{
		{"private: empty", "", true},
		{"private: public key given", pub, true},
		{"private: bare hex", secretHex, true},
		{"private: unknown KEM", PrivateKeyPrefix + "x448-" + secretHex, true},
		{"private: no dash after KEM", PrivateKeyPrefix + "x25519" + secretHex, true},
		{"private: short", secret[:len(secret)-2], true},
		{"private: long", secret + "00", true},
		{"private: upper case", PrivateKeyPrefix + "x25519-" + strings.ToUpper(secretHex), true},
		{"private: not hex", PrivateKeyPrefix + "x25519-zz" + secretHex[2:], true},
		{"private: old version", "encgather-secret-v0-x25519-" + secretHex, true},
		{"private: X-Wing seed too short", PrivateKeyPrefix + "mlkem768x25519-" + secretHex[:62], true},
		{"public: empty", "", false},
		{"public: private key given", secret, false},
		{"public: unknown KEM", PublicKeyPrefix + "p256-" + pubHex, false},
		{"public: short", pub[:len(pub)-2], false},
		{"public: upper case", PublicKeyPrefix + "x25519-" + strings.ToUpper(pubHex), false},
		{"public: X-Wing key of X25519 size", PublicKeyPrefix + "mlkem768x25519-" + pubHex, false},
		{"public: invalid ML-KEM key", PublicKeyPrefix + "mlkem768x25519-" + strings.Repeat("ff", 1216), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.private {
				_, err = ParsePrivateKey(tt.in)
			} else {
				_, err = ParsePublicKey(tt.in)
			}
			if !errors.Is(err, ErrKey) {
				t.Fatalf("err = %v, want ErrKey", err)
			}
			for _, key := range []string{secretHex, pubHex} {
				if strings.Contains(strings.ToLower(err.Error()), key[8:24]) {
					t.Fatalf("error %q quotes a key", err)
				}
			}
		})
	}
}

func TestKEMText(t *testing.T) {
	for _, kem := range kems {
		text, err := kem.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var got KEM
		if err := got.UnmarshalText(text); err != nil || got != kem {
			t.Fatalf("UnmarshalText(%q) = %v, %v", text, got, err)
		}
	}
	tests := []struct {
		name string
		text string
	}{
		{"empty", ""},
		{"upper case", "X25519"},
		{"other KEM", "p256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k KEM
			if err := k.UnmarshalText([]byte(tt.text)); !errors.Is(err, ErrKEM) {
				t.Fatalf("err = %v, want ErrKEM", err)
			}
		})
	}
	if _, err := KEM(0x21).MarshalText(); !errors.Is(err, ErrKEM) {
		t.Fatalf("MarshalText of an unknown KEM: %v", err)
	}
	if _, err := GenerateKey(KEM(0x21)); !errors.Is(err, ErrKEM) {
		t.Fatalf("GenerateKey of an unknown KEM: %v", err)
	}
	if s := KEM(0x21).String(); s != "KEM(0x0021)" {
		t.Fatalf("String of an unknown KEM = %q", s)
	}
}

// TestExportTextTwice: exporting a key leaves it intact. (The standard
// library's MLKEM768X25519 key returns its own seed from Bytes, so wiping
// the returned slice once wiped the key.)
func TestExportTextTwice(t *testing.T) {
	for _, kem := range kems {
		t.Run(kem.String(), func(t *testing.T) {
			k := mustGenerate(t, kem)
			first, second := k.ExportText(), k.ExportText()
			if first != second {
				t.Fatal("a second ExportText differs from the first")
			}
			again, err := ParsePrivateKey(second)
			if err != nil || again.ID() != k.ID() {
				t.Fatalf("the exported key does not parse to the same key: %v", err)
			}
		})
	}
}
