package card

import (
	"github.com/encgather/encgather/flow"
	"slices"
	"strings"
	"testing"
	"time"
)

// hasDigitRun reports whether s holds four or more digits in a row: no
// error may, since it could be part of a number.
func hasDigitRun(s string) bool {
	run := 0
	for i := range len(s) {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func FuzzCheckNumber(f *testing.F) {
	for _, tc := range testCards {
		f.Add(tc.number, "visa mastercard amex")
	}
	f.Add("4242424242424241", "maestro discover jcb diners-club enroute")
	f.Add("", "")
	f.Add("6011", "visa visa")
	f.Add("٤٢٤٢٤٢٤٢٤٢٤٢٤٢٤٢", "amex")
	f.Fuzz(func(t *testing.T, number, list string) {
		accepted, err := ParseBrands(list)
		if err != nil {
			accepted = DefaultBrands()
		}
		if b, ok := BrandOf(number); ok != (b != "") || ok && !b.Known() {
			t.Fatalf("BrandOf = %q, %v", b, ok)
		}
		b, err := CheckNumber(number, accepted)
		if err != nil {
			if b != "" {
				t.Fatalf("CheckNumber returned %q with %v", b, err)
			}
			typ := ErrorTypeOf(err)
			if typ != ErrorInvalidCardNumber && typ != ErrorInvalidCardType {
				t.Fatalf("CheckNumber's error %v has type %q", err, typ)
			}
			if hasDigitRun(err.Error()) || len(number) >= 4 && strings.Contains(err.Error(), number) {
				t.Fatalf("error %q may quote the number", err)
			}
			return
		}
		if len(number) < MinNumberLen || len(number) > MaxNumberLen || !allDigits(number) {
			t.Fatalf("accepted %d characters that are not 12 to 19 digits", len(number))
		}
		if flow.Luhn(number) != nil {
			t.Fatal("accepted a number that fails the Luhn check")
		}
		if !slices.Contains(accepted, b) {
			t.Fatalf("brand %q not in %v", b, accepted)
		}
		if got, _ := BrandOf(number); got != b || !b.issues(len(number)) {
			t.Fatalf("brand %q, BrandOf %q, length %d", b, got, len(number))
		}
		m := strings.ReplaceAll(Mask(number), "-", "")
		if m[:len(m)-4] != strings.Repeat("x", len(number)-4) || m[len(m)-4:] != Last4(number) || Last4(number) != number[len(number)-4:] {
			t.Fatalf("Mask or Last4 shows too much")
		}
	})
}

func FuzzParseBrands(f *testing.F) {
	f.Add("visa mastercard amex")
	f.Add("  jcb\tjcb\nenroute ")
	f.Add("Visa")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		brands, err := ParseBrands(s)
		if err != nil {
			if brands != nil {
				t.Fatalf("brands %v with error %v", brands, err)
			}
			return
		}
		if len(brands) == 0 {
			t.Fatal("no brands and no error")
		}
		for i, b := range brands {
			if !b.Known() || slices.Contains(brands[:i], b) {
				t.Fatalf("%v: unknown or repeated %q", brands, b)
			}
		}
		again, err := ParseBrands(FormatBrands(brands))
		if err != nil || !slices.Equal(again, brands) {
			t.Fatalf("round trip: %v, %v; want %v", again, err, brands)
		}
	})
}

func FuzzCheckExpiry(f *testing.F) {
	f.Add("1226", int64(1798761599))
	f.Add("0000", int64(0))
	f.Add("12/26", int64(-62135596800))
	f.Fuzz(func(t *testing.T, mmyy string, unix int64) {
		now := time.Unix(unix, 0)
		err := CheckExpiry(mmyy, now)
		if err == nil {
			if len(mmyy) != 4 || !allDigits(mmyy) || mmyy[:2] < "01" || mmyy[:2] > "12" {
				t.Fatalf("accepted %d characters that are not MMYY", len(mmyy))
			}
			return
		}
		if ErrorTypeOf(err) != ErrorInvalidDate || hasDigitRun(err.Error()) {
			t.Fatalf("error %v", err)
		}
	})
}
