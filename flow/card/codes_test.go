package card

import (
	"errors"
	"strings"
	"testing"
)

func TestSecurityCodeLen(t *testing.T) {
	for _, b := range allBrands {
		want := 3
		if b == Amex {
			want = 4
		}
		if got := SecurityCodeLen(b); got != want {
			t.Errorf("SecurityCodeLen(%s) = %d; want %d", b, got, want)
		}
	}
}

func TestCheckSecurityCode(t *testing.T) {
	tests := []struct {
		name, code string
		brand      Brand
		why        error
	}{
		{"amex 4", "1234", Amex, nil},
		{"amex 3", "123", Amex, errCodeLength},
		{"amex 5", "12345", Amex, errCodeLength},
		{"visa 3", "737", Visa, nil},
		{"visa 4", "7373", Visa, errCodeLength},
		{"visa 2", "73", Visa, errCodeLength},
		{"mastercard 3", "000", Mastercard, nil},
		{"maestro 3", "123", Maestro, nil},
		{"discover 3", "123", Discover, nil},
		{"jcb 3", "123", JCB, nil},
		{"diners 3", "123", DinersClub, nil},
		{"enroute 3", "123", EnRoute, nil},
		{"empty", "", Visa, errCodeForm},
		{"star", "12*", Visa, errCodeForm},
		{"space", "1 23", Amex, errCodeForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSecurityCode(tt.code, tt.brand)
			if err != tt.why {
				t.Fatalf("CheckSecurityCode(%q, %s) = %v; want %v", tt.code, tt.brand, err, tt.why)
			}
			if err != nil && (!errors.Is(err, ErrInvalidSecurityCode) || tt.code != "" && strings.Contains(err.Error(), tt.code)) {
				t.Errorf("%v: not ErrInvalidSecurityCode, or quotes the code", err)
			}
		})
	}
}

func TestCheckPostalCode(t *testing.T) {
	tests := []struct {
		name, code string
		minLen     int
		why        error
	}{
		{"ZIP", "94105", 5, nil},
		{"ZIP+4", "941051234", 5, nil},
		{"ten digits", "1234567890", 5, nil},
		{"eleven digits", "12345678901", 5, errPostalLong},
		{"short", "9410", 5, errPostalShort},
		{"min 3", "941", 3, nil},
		{"min 0 counts as 1", "", 0, errPostalShort},
		{"min -1 counts as 1", "9", -1, nil},
		{"UK cannot be keyed", "SW1A1AA", 5, errPostalForm},
		{"Canada cannot be keyed", "K1A0B1", 5, errPostalForm},
		{"hyphen", "94105-1234", 5, errPostalForm},
		{"star", "9410*", 5, errPostalForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPostalCode(tt.code, tt.minLen)
			if err != tt.why {
				t.Fatalf("CheckPostalCode(%q, %d) = %v; want %v", tt.code, tt.minLen, err, tt.why)
			}
			if err != nil && !errors.Is(err, ErrInvalidPostalCode) {
				t.Errorf("%v does not wrap ErrInvalidPostalCode", err)
			}
		})
	}
}
