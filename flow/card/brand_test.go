package card

import (
	"errors"
	"slices"
	"testing"
)

func TestBrandOfPrefixEdges(t *testing.T) {
	tests := []struct {
		prefix string
		want   Brand // "" for no brand
	}{
		{"31", ""},
		{"4", Visa},
		{"49", Visa},
		{"222099", ""},
		{"222100", Mastercard},
		{"272099", Mastercard},
		{"272100", ""},
		{"509999", Maestro},
		{"510000", Mastercard},
		{"559999", Mastercard},
		{"560000", Maestro},
		{"589999", Maestro},
		{"590000", ""}, // <Pay> has no 59; see the table's comment
		{"33", ""},
		{"34", Amex},
		{"35", ""},
		{"37", Amex},
		{"3527", ""},
		{"3528", JCB},
		{"3589", JCB},
		{"3590", ""},
		{"2999", ""},
		{"300", DinersClub},
		{"305", DinersClub},
		{"306", ""},
		{"3094", ""},
		{"3095", DinersClub},
		{"3096", ""},
		{"36", DinersClub},
		{"38", DinersClub},
		{"39", DinersClub},
		{"2013", ""},
		{"2014", EnRoute},
		{"2015", ""},
		{"2148", ""},
		{"2149", EnRoute},
		{"2150", ""},
		{"6", Maestro},
		{"6010", Maestro},
		{"6011", Discover},
		{"6012", Maestro},
		{"643", Maestro}, // <Pay> lists 64 for discover; we take 644–649
		{"644", Discover},
		{"649", Discover},
		{"65", Discover},
		{"66", Maestro},
		{"62", Maestro}, // UnionPay: no brand of <Pay>'s, maestro by its 6
		{"1", ""},
		{"7", ""},
		{"8", ""},
		{"9", ""},
		{"0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			number := withCheckDigit(tt.prefix, 16)
			got, ok := BrandOf(number)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("BrandOf(%s…) = %q, %v; want %q", tt.prefix, got, ok, tt.want)
			}
		})
	}
}

func TestBrandOfRefuses(t *testing.T) {
	tests := map[string]string{
		"empty":        "",
		"space":        "4242 4242 4242 4242",
		"star":         "4*",
		"hash":         "4#",
		"letter":       "4a",
		"too long":     "42424242424242424242",
		"unicode":      "٤٢",
		"fullwidth":    "４",
		"leading plus": "+4",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if b, ok := BrandOf(in); ok {
				t.Errorf("BrandOf = %q, true; want false", b)
			}
		})
	}
}

// TestPrefixTableUnambiguous checks that the longest prefix is the only
// match: no two rules of the same length overlap, and every rule fits its
// length.
func TestPrefixTableUnambiguous(t *testing.T) {
	for i, a := range prefixes {
		lo, hi := 1, 9
		for range a.digits - 1 {
			lo, hi = lo*10, hi*10+9
		}
		if a.lo > a.hi || a.lo < lo || a.hi > hi {
			t.Errorf("rule %d (%s): %d..%d does not fit %d digits", i, a.brand, a.lo, a.hi, a.digits)
		}
		if !a.brand.Known() {
			t.Errorf("rule %d: unknown brand %q", i, a.brand)
		}
		for _, b := range prefixes[i+1:] {
			if a.digits == b.digits && a.lo <= b.hi && b.lo <= a.hi {
				t.Errorf("rules %s %d..%d and %s %d..%d overlap", a.brand, a.lo, a.hi, b.brand, b.lo, b.hi)
			}
		}
	}
	for _, b := range allBrands {
		if lengths[b] == 0 {
			t.Errorf("%s has no lengths", b)
		}
	}
}

func TestParseBrands(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Brand
	}{
		{"default", "visa mastercard amex", DefaultBrands()},
		{"all", "visa mastercard amex maestro discover jcb diners-club enroute", Brands()},
		{"extra space", "  visa\tamex \n", []Brand{Visa, Amex}},
		{"duplicate", "amex visa amex", []Brand{Amex, Visa}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBrands(tt.in)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ParseBrands(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseBrandsRefuses(t *testing.T) {
	for _, in := range []string{"", "   ", "Visa", "visa,amex", "master-card", "diners", "visa unionpay"} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseBrands(in)
			if !errors.Is(err, ErrBrandList) || got != nil {
				t.Errorf("ParseBrands(%q) = %v, %v; want ErrBrandList", in, got, err)
			}
		})
	}
}

func TestBrandListsAreCopies(t *testing.T) {
	Brands()[0] = "x"
	DefaultBrands()[0] = "x"
	if Brands()[0] != Visa || DefaultBrands()[0] != Visa {
		t.Error("changing a returned list changed the package's")
	}
}

func TestFormatBrandsRoundTrip(t *testing.T) {
	s := FormatBrands(Brands())
	if s != "visa mastercard amex maestro discover jcb diners-club enroute" {
		t.Errorf("FormatBrands = %q", s)
	}
	got, err := ParseBrands(s)
	if err != nil || !slices.Equal(got, Brands()) {
		t.Errorf("ParseBrands(FormatBrands) = %v, %v", got, err)
	}
}
