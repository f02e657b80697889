package card

import "strings"

// withCheckDigit pads prefix with zeros to n-1 digits and appends the Luhn
// check digit, computed here independently of flow.Luhn.
func withCheckDigit(prefix string, n int) string {
	body := prefix + strings.Repeat("0", n-1-len(prefix))
	sum := 0
	for i := range len(body) {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 { // doubled once the check digit is appended
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}
