package card_test

import (
	"fmt"
	"time"

	"github.com/encgather/encgather/flow/card"
)

func ExampleCheckNumber() {
	accepted, err := card.ParseBrands("visa mastercard amex") // as validCardTypes
	if err != nil {
		panic(err)
	}
	for _, number := range []string{"378282246310005", "4242424242424241", "6011111111111117"} {
		brand, err := card.CheckNumber(number, accepted)
		if err != nil {
			fmt.Println(card.ErrorTypeOf(err), "-", err)
			continue
		}
		fmt.Println(brand, card.Mask(number), card.Last4(number))
	}
	// Output:
	// amex xxxx-xxxxxx-x0005 0005
	// invalid-card-number - card: invalid card number: check digit does not match
	// invalid-card-type - card: card brand not accepted: brand not in the accepted list
}

func ExampleBrandOf() {
	for _, number := range []string{"6011000990139424", "6304000000000000", "36227206271667"} {
		brand, ok := card.BrandOf(number)
		fmt.Println(brand, ok)
	}
	// Output:
	// discover true
	// maestro true
	// diners-club true
}

func ExampleMask() {
	fmt.Println(card.Mask("378282246310005"))
	fmt.Println(card.Mask("4242424242424242"))
	fmt.Println(card.Mask("4242") == "")
	// Output:
	// xxxx-xxxxxx-x0005
	// xxxx-xxxx-xxxx-4242
	// true
}

func ExampleCheckExpiry() {
	now := time.Date(2026, time.December, 31, 23, 59, 59, 0, time.UTC)
	fmt.Println(card.CheckExpiry("1226", now))
	fmt.Println(card.CheckExpiry("1126", now))
	fmt.Println(card.CheckExpiry("1326", now))
	// Output:
	// <nil>
	// card: invalid expiry date: in the past
	// card: invalid expiry date: no such month
}

func ExampleCheckSecurityCode() {
	fmt.Println(card.SecurityCodeLen(card.Amex), card.CheckSecurityCode("1234", card.Amex))
	err := card.CheckSecurityCode("123", card.Amex)
	fmt.Println(card.ErrorTypeOf(err))
	// Output:
	// 4 <nil>
	// invalid-security-code
}

func ExampleCheckRoutingNumber() {
	fmt.Println(card.CheckRoutingNumber("021000021"))
	fmt.Println(card.CheckRoutingNumber("021000022"))
	// Output:
	// <nil>
	// card: invalid bank routing number: check digit does not match
}

func ExampleParseBrands() {
	brands, err := card.ParseBrands("visa  amex visa")
	fmt.Println(brands, err)
	_, err = card.ParseBrands("visa unionpay")
	fmt.Println(err)
	// Output:
	// [visa amex] <nil>
	// card: invalid card brand list: unknown brand "unionpay"
}
