package card

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckRoutingNumber(t *testing.T) {
	tests := []struct {
		name, aba string
		why       error
	}{
		{"Federal Reserve Bank of Boston", "011000015", nil},
		{"JPMorgan Chase, New York", "021000021", nil},
		{"Wells Fargo, California", "121000248", nil},
		{"Bank of America, New York", "026009593", nil},
		{"thrift prefix 32", "322271627", nil},
		{"last digit changed", "011000016", errRoutingCheck},
		{"two digits swapped", "012000015", errRoutingCheck},
		{"Chase, one digit off", "021000022", errRoutingCheck},
		{"all zeros passes the sum alone", "000000000", errRoutingPrefix},
		{"prefix 13", "130000001", errRoutingPrefix},
		{"prefix 20", "200000002", errRoutingPrefix},
		{"prefix 33", "330000003", errRoutingPrefix},
		{"prefix 60", "600000007", errRoutingPrefix},
		{"prefix 73", "730000006", errRoutingPrefix},
		{"prefix 80, traveler's checks", "800000009", errRoutingPrefix},
		{"eight digits", "01100001", errRoutingForm},
		{"ten digits", "0110000150", errRoutingForm},
		{"hyphen", "0110-0015", errRoutingForm},
		{"empty", "", errRoutingForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRoutingNumber(tt.aba)
			if err != tt.why {
				t.Fatalf("CheckRoutingNumber(%q) = %v; want %v", tt.aba, err, tt.why)
			}
			if err != nil && (!errors.Is(err, ErrInvalidRoutingNumber) || len(tt.aba) > 3 && strings.Contains(err.Error(), tt.aba)) {
				t.Errorf("%v: not ErrInvalidRoutingNumber, or quotes the number", err)
			}
		})
	}
}

// TestRoutingPrefixesAllPass checks the prefix rule alone: a number made
// to pass the checksum passes exactly when its prefix is allowed.
func TestRoutingPrefixesAllPass(t *testing.T) {
	for p := range 100 {
		body := []byte{byte('0' + p/10), byte('0' + p%10), '0', '0', '0', '0', '0', '1'}
		sum := 3*int(body[0]-'0') + 7*int(body[1]-'0') + 7
		aba := string(body) + string(rune('0'+(10-sum%10)%10))
		want := p >= 1 && p <= 12 || p >= 21 && p <= 32 || p >= 61 && p <= 72
		if err := CheckRoutingNumber(aba); (err == nil) != want {
			t.Errorf("CheckRoutingNumber(%s) = %v; want pass %v", aba, err, want)
		}
	}
}

func TestCheckAccountNumber(t *testing.T) {
	tests := []struct {
		name, digits   string
		minLen, maxLen int
		why            error
	}{
		{"in bounds", "000123456789", 4, 17, nil},
		{"at min", "1234", 4, 17, nil},
		{"below min", "123", 4, 17, errAccountLength},
		{"at max", "12345678901234567", 4, 17, nil},
		{"above max", "123456789012345678", 4, 17, errAccountLength},
		{"max held to 17", "123456789012345678", 4, 30, errAccountLength},
		{"min held to 1", "1", -5, 17, nil},
		{"crossed bounds take nothing", "12345", 10, 5, errAccountLength},
		{"empty", "", 0, 17, errAccountForm},
		{"star", "1234*", 4, 17, errAccountForm},
		{"letters", "ABCD1234", 4, 17, errAccountForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAccountNumber(tt.digits, tt.minLen, tt.maxLen)
			if err != tt.why {
				t.Fatalf("CheckAccountNumber(%q, %d, %d) = %v; want %v", tt.digits, tt.minLen, tt.maxLen, err, tt.why)
			}
			if err != nil && (!errors.Is(err, ErrInvalidAccountNumber) || len(tt.digits) > 3 && strings.Contains(err.Error(), tt.digits)) {
				t.Errorf("%v: not ErrInvalidAccountNumber, or quotes the number", err)
			}
		})
	}
}
