package hexstrict

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		size           int
		lower, anyCase bool // whether DecodeLower and Decode accept it
	}{
		{"lowercase", "00ff7a0b", 4, true, true},
		{"uppercase", "00FF7A0B", 4, false, true},
		{"mixed case", "00fF7a0b", 4, false, true},
		{"empty", "", 0, true, true},
		{"too short", "00ff7a", 4, false, false},
		{"too long", "00ff7a0b00", 4, false, false},
		{"odd length", "00ff7a0", 4, false, false},
		{"not hex", "00fg7a0b", 4, false, false},
		{"space", "00ff7a0 ", 4, false, false},
		{"high byte", "00ff7a0\xff", 4, false, false},
		{"NUL", "00ff\x007a0b", 4, false, false},
		{"sign", "+0ff7a0b", 4, false, false},
	}
	decoders := []struct {
		name   string
		decode func([]byte, string) bool
		want   func(i int) bool
	}{
		{"DecodeLower", DecodeLower, func(i int) bool { return tests[i].lower }},
		{"Decode", Decode, func(i int) bool { return tests[i].anyCase }},
	}
	for _, d := range decoders {
		for i, tt := range tests {
			t.Run(d.name+" "+tt.name, func(t *testing.T) {
				dst := bytes.Repeat([]byte{0xaa}, tt.size)
				ok := d.decode(dst, tt.in)
				if ok != d.want(i) {
					t.Fatalf("%s(%q) = %v, want %v", d.name, tt.in, ok, !ok)
				}
				if !ok {
					if !bytes.Equal(dst, make([]byte, tt.size)) {
						t.Errorf("a refused input left %x in dst", dst)
					}
					return
				}
				want, _ := hex.DecodeString(tt.in)
				if !bytes.Equal(dst, want) {
					t.Errorf("decoded %x, want %x", dst, want)
				}
			})
		}
	}
}

// FuzzDecode checks both decoders against encoding/hex, which accepts
// either case: Decode agrees with it, DecodeLower also refuses any
// uppercase letter.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{"", "00", "a1B2", "0g", "abc", "\xff\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := hex.DecodeString(s)
		valid := err == nil
		dst := make([]byte, len(s)/2)
		if ok := Decode(dst, s); ok != valid || (ok && !bytes.Equal(dst, want)) {
			t.Fatalf("Decode(%q) = %x, %v; encoding/hex: %x, %v", s, dst, ok, want, err)
		}
		validLower := valid && s == strings.ToLower(s)
		if ok := DecodeLower(dst, s); ok != validLower || (ok && !bytes.Equal(dst, want)) {
			t.Fatalf("DecodeLower(%q) = %x, %v; want %v", s, dst, ok, validLower)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	s := strings.Repeat("0123456789abcdef", 4)
	dst := make([]byte, len(s)/2)
	b.ReportAllocs()
	for b.Loop() {
		if !Decode(dst, s) {
			b.Fatal("refused")
		}
	}
}
