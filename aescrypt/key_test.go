package aescrypt

import (
	"errors"
	"strings"
	"testing"
)

const tutorialKey = "a154eb4c759711bc2538a7cc021e9e9f17dd8aa63151c62ca28a82a4a404203d"

func TestParseKey(t *testing.T) {
	for _, in := range []string{tutorialKey, strings.ToUpper(tutorialKey)} {
		k, err := ParseKey(in)
		if err != nil {
			t.Fatalf("ParseKey: %v", err)
		}
		if k.ExportHex() != tutorialKey {
			t.Fatalf("ExportHex = %s", k.ExportHex())
		}
	}
	bad := map[string]string{
		"empty":      "",
		"short":      tutorialKey[:62],
		"long":       tutorialKey + "00",
		"not hex":    "zz" + tutorialKey[2:],
		"utf-8 hex":  tutorialKey[:32], // the tutorial's bug: 32 characters read as bytes
		"whitespace": " " + tutorialKey[1:],
	}
	for name, in := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := ParseKey(in)
			if !errors.Is(err, ErrKey) {
				t.Fatalf("err = %v, want ErrKey", err)
			}
			if len(in) >= 8 && strings.Contains(err.Error(), in[2:10]) {
				t.Fatalf("error %q quotes the key", err)
			}
		})
	}
}

func TestKeyID(t *testing.T) {
	k1, k2 := GenerateKey(), GenerateKey()
	if len(k1.ID()) != 8 || k1.ID() == k2.ID() {
		t.Fatalf("IDs %q and %q", k1.ID(), k2.ID())
	}
	again, _ := ParseKey(k1.ExportHex())
	if again.ID() != k1.ID() || !again.Equal(k1) || again.Equal(k2) {
		t.Fatal("ID or Equal is not stable")
	}
	if strings.Contains(k1.ExportHex(), k1.ID()) {
		t.Fatal("the ID is a slice of the key")
	}
	if !(Key{}).IsZero() || k1.IsZero() {
		t.Fatal("IsZero is wrong")
	}
}
