package card

import (
	"errors"
	"fmt"
	"github.com/encgather/encgather/flow"
	"strings"
	"testing"
)

// Processors' published test card numbers, by the brand this package
// gives them. Sources:
//
//   - Stripe: https://docs.stripe.com/testing
//   - Braintree: https://www.rubydoc.info/gems/braintree/Braintree/Test/CreditCardNumbers
//     (the sandbox numbers of Braintree's own library)
//   - Adyen: https://docs.adyen.com/point-of-sale/testing-pos-payments/test-card-v1
//     and https://docs.adyen.com/point-of-sale/testing-pos-payments/test-card-v2
//   - enRoute, which no processor still tests: Blackbaud's test numbers,
//     https://webfiles-sc1.blackbaud.com/files/support/guides/bbis/BBNCCardTestDemo.html
var testCards = []struct {
	source, number string
	brand          Brand
}{
	{"Stripe Visa", "4242424242424242", Visa},
	{"Stripe Visa debit", "4000056655665556", Visa},
	{"Braintree Visa", "4012888888881881", Visa},
	{"Braintree Visa", "4111111111111111", Visa},
	{"Blackbaud Visa 13 digits", "4222222222222", Visa},
	{"Stripe Mastercard", "5555555555554444", Mastercard},
	{"Stripe Mastercard 2-series", "2223003122003222", Mastercard},
	{"Stripe Mastercard debit", "5200828282828210", Mastercard},
	{"Stripe Mastercard prepaid", "5105105105105100", Mastercard},
	{"Stripe Amex", "378282246310005", Amex},
	{"Stripe Amex", "371449635398431", Amex},
	{"Braintree Amex", "378734493671000", Amex},
	{"Stripe Discover", "6011111111111117", Discover},
	{"Stripe Discover", "6011000990139424", Discover},
	{"Stripe Discover debit", "6011981111111113", Discover},
	{"Stripe BCcard and DinaCard", "6555900000604105", Discover},
	{"Stripe Diners 16 digits", "3056930009020004", DinersClub},
	{"Stripe Diners 14 digits", "36227206271667", DinersClub},
	{"Braintree Carte Blanche 14 digits", "30569309025904", DinersClub},
	{"Braintree Diners 14 digits", "38520000023237", DinersClub},
	{"Stripe JCB", "3566002020360505", JCB},
	{"Braintree JCB", "3530111333300000", JCB},
	{"Braintree Maestro", "6304000000000000", Maestro},
	{"Adyen Maestro 19 digits", "6799998900000099990", Maestro},
	{"Adyen Maestro 19 digits", "6000070736169237003", Maestro},
	{"Stripe UnionPay (maestro by <Pay>'s 6)", "6200000000000005", Maestro},
	{"Blackbaud enRoute", "201400000000009", EnRoute},
}

func TestCheckNumberTestCards(t *testing.T) {
	for _, tc := range testCards {
		t.Run(tc.source+"/"+tc.number, func(t *testing.T) {
			got, err := CheckNumber(tc.number, Brands())
			if err != nil || got != tc.brand {
				t.Fatalf("CheckNumber = %q, %v; want %q", got, err, tc.brand)
			}
			if _, err := CheckNumber(tc.number, nil); !errors.Is(err, ErrBrandNotAccepted) {
				t.Errorf("with no brand accepted: %v; want ErrBrandNotAccepted", err)
			}
		})
	}
}

// TestCheckNumberLengths runs every brand through every length from 11 to
// 20 digits, Luhn-valid, and expects exactly the brand's lengths to pass.
func TestCheckNumberLengths(t *testing.T) {
	prefixOf := map[Brand]string{
		Visa: "4", Mastercard: "51", Amex: "34", Maestro: "50", Discover: "6011",
		JCB: "3528", DinersClub: "300", EnRoute: "2014",
	}
	want := map[Brand][]int{
		Visa:       {13, 16, 19},
		Mastercard: {16},
		Amex:       {15},
		Maestro:    {12, 13, 14, 15, 16, 17, 18, 19},
		Discover:   {16, 17, 18, 19},
		JCB:        {16, 17, 18, 19},
		DinersClub: {14, 15, 16, 17, 18, 19},
		EnRoute:    {15},
	}
	for _, b := range allBrands {
		for n := 11; n <= 20; n++ {
			t.Run(fmt.Sprintf("%s/%d", b, n), func(t *testing.T) {
				number := withCheckDigit(prefixOf[b], n)
				got, err := CheckNumber(number, Brands())
				valid := false
				for _, l := range want[b] {
					valid = valid || l == n
				}
				switch {
				case valid && (err != nil || got != b):
					t.Errorf("CheckNumber = %q, %v; want %q", got, err, b)
				case !valid && !errors.Is(err, ErrInvalidNumber):
					t.Errorf("CheckNumber = %q, %v; want ErrInvalidNumber", got, err)
				}
			})
		}
	}
}

func TestCheckNumberRefuses(t *testing.T) {
	tests := []struct {
		name, number string
		accepted     []Brand
		want         error
		why          error
	}{
		{"empty", "", Brands(), ErrInvalidNumber, errNumberForm},
		{"11 digits", "42424242424", Brands(), ErrInvalidNumber, errNumberForm},
		{"20 digits", "42424242424242424242", Brands(), ErrInvalidNumber, errNumberForm},
		{"spaces", "4242 4242 4242 4242", Brands(), ErrInvalidNumber, errNumberForm},
		{"star", "424242424242424*", Brands(), ErrInvalidNumber, errNumberForm},
		{"check digit", "4242424242424241", Brands(), ErrInvalidNumber, errNumberCheck},
		{"swapped digits", "2424424242424242", Brands(), ErrInvalidNumber, errNumberCheck},
		{"visa of 15", withCheckDigit("4", 15), Brands(), ErrInvalidNumber, errNumberLength},
		{"amex of 16", withCheckDigit("37", 16), Brands(), ErrInvalidNumber, errNumberLength},
		{"no brand", withCheckDigit("1", 15), Brands(), ErrBrandNotAccepted, errBrandUnknown},
		{"59 is no brand", withCheckDigit("59", 16), Brands(), ErrBrandNotAccepted, errBrandUnknown},
		{"amex not accepted", "378282246310005", []Brand{Visa, Mastercard}, ErrBrandNotAccepted, errBrandRefused},
		{"discover by default", "6011111111111117", DefaultBrands(), ErrBrandNotAccepted, errBrandRefused},
		{"maestro by default", "6304000000000000", DefaultBrands(), ErrBrandNotAccepted, errBrandRefused},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckNumber(tt.number, tt.accepted)
			if got != "" || !errors.Is(err, tt.want) || err != tt.why {
				t.Fatalf("CheckNumber = %q, %v; want %v", got, err, tt.why)
			}
			if len(tt.number) >= 4 && strings.Contains(err.Error(), tt.number[len(tt.number)-4:]) {
				t.Errorf("error %q quotes the number", err)
			}
		})
	}
}

// TestLuhnAsCardsUseIt: CheckNumber's Luhn check is flow.Luhn, which
// the vectors here hold to ISO/IEC 7812-1's worked example.
func TestLuhnAsCardsUseIt(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"00", true},
		{"18", true},
		{"59", true},
		{"79927398713", true}, // the worked example of ISO/IEC 7812-1's Luhn
		{"79927398710", false},
		{"79927398711", false},
		{"4242424242424242", true},
		{"4242424242424243", false},
		{"0", false}, // one digit is no number with a check digit
		{"", false},
		{"1a", false},
		{"-0", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := flow.Luhn(tt.in) == nil; got != tt.want {
				t.Errorf("flow.Luhn(%q) valid = %v", tt.in, got)
			}
		})
	}
}

func TestMaskAndLast4(t *testing.T) {
	tests := []struct {
		name, number, mask, last4 string
	}{
		{"amex as <Pay>", "378282246310005", "xxxx-xxxxxx-x0005", "0005"},
		{"visa", "4242424242424242", "xxxx-xxxx-xxxx-4242", "4242"},
		{"diners 14", "36227206271667", "xxxx-xxxxxx-1667", "1667"},
		{"visa 13", "4222222222222", "xxxx-xxxx-x222-2", "2222"},
		{"maestro 19", "6799998900000099990", "xxxx-xxxx-xxxx-xxx9-990", "9990"},
		{"maestro 12", withCheckDigit("50", 12), "xxxx-xxxx-" + withCheckDigit("50", 12)[8:], withCheckDigit("50", 12)[8:]},
		{"11 digits", "42424242424", "", ""},
		{"20 digits", "42424242424242424242", "", ""},
		{"4 digits", "4242", "", ""},
		{"empty", "", "", ""},
		{"not digits", "4242-4242-4242-4242", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mask(tt.number); got != tt.mask {
				t.Errorf("Mask = %q; want %q", got, tt.mask)
			}
			if got := Last4(tt.number); got != tt.last4 {
				t.Errorf("Last4 = %q; want %q", got, tt.last4)
			}
		})
	}
}

// TestMaskShowsAtMostFour checks PCI DSS's limit on every length: Mask
// shows no digit but the last four.
func TestMaskShowsAtMostFour(t *testing.T) {
	for n := MinNumberLen; n <= MaxNumberLen; n++ {
		number := strings.Repeat("7", n)
		m := Mask(number)
		if got := strings.Count(m, "7"); got != 4 || !strings.HasSuffix(strings.ReplaceAll(m, "-", ""), "7777") {
			t.Errorf("Mask of %d digits = %q: shows %d digits", n, m, got)
		}
		if got := len(strings.ReplaceAll(m, "-", "")); got != n {
			t.Errorf("Mask of %d digits = %q: %d places", n, m, got)
		}
	}
}

func TestCheckNumberAllocatesNothing(t *testing.T) {
	accepted := Brands()
	inputs := []string{"4242424242424242", "4242424242424241", "378282246310005", "x", withCheckDigit("1", 16)}
	for _, in := range inputs {
		if n := testing.AllocsPerRun(100, func() { _, _ = CheckNumber(in, accepted) }); n != 0 {
			t.Errorf("CheckNumber allocates %v times", n)
		}
	}
}
