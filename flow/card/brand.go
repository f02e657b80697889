package card

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Brand is a card brand, named as <Pay>'s validCardTypes attribute names it.
type Brand string

// The brands <Pay> knows.
const (
	Visa       Brand = "visa"
	Mastercard Brand = "mastercard"
	Amex       Brand = "amex"
	Maestro    Brand = "maestro"
	Discover   Brand = "discover"
	JCB        Brand = "jcb"
	DinersClub Brand = "diners-club"
	EnRoute    Brand = "enroute"
)

// ErrBrandList reports a brand list that names no brand, or a brand this
// package does not know.
var ErrBrandList = errors.New("card: invalid card brand list")

// allBrands is every Brand in <Pay>'s order.
var allBrands = []Brand{Visa, Mastercard, Amex, Maestro, Discover, JCB, DinersClub, EnRoute}

// Brands returns every brand this package knows, in <Pay>'s order.
func Brands() []Brand { return slices.Clone(allBrands) }

// DefaultBrands returns the brands <Pay> accepts when validCardTypes is not
// given: visa, mastercard and amex.
func DefaultBrands() []Brand { return []Brand{Visa, Mastercard, Amex} }

// Known reports whether b is one of the brands this package knows.
func (b Brand) Known() bool { return slices.Contains(allBrands, b) }

// ParseBrands reads a validCardTypes-style list: brand names separated by
// spaces, as in "visa mastercard amex". Names are matched exactly (lower
// case, as <Pay> writes them); a name given twice counts once, and the
// order of first appearance is kept. An empty list or an unknown name is
// an error wrapping ErrBrandList.
func ParseBrands(s string) ([]Brand, error) {
	var brands []Brand
	for name := range strings.FieldsSeq(s) {
		b := Brand(name)
		if !b.Known() {
			return nil, fmt.Errorf("%w: unknown brand %q", ErrBrandList, name)
		}
		if !slices.Contains(brands, b) {
			brands = append(brands, b)
		}
	}
	if len(brands) == 0 {
		return nil, fmt.Errorf("%w: no brand named", ErrBrandList)
	}
	return brands, nil
}

// FormatBrands writes brands as a validCardTypes attribute: names
// separated by single spaces. ParseBrands reads it back.
func FormatBrands(brands []Brand) string {
	var sb strings.Builder
	for i, b := range brands {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(string(b))
	}
	return sb.String()
}

// A prefixRule gives brand every number whose first digits, read as a
// number, lie in lo..hi.
type prefixRule struct {
	digits int
	lo, hi int
	brand  Brand
}

// prefixes is <Pay>'s table of leading digits, from its validCardTypes
// documentation (https://www.twilio.com/docs/voice/twiml/pay), checked
// against the card networks' ranges as Wikipedia gathers them
// (https://en.wikipedia.org/wiki/Payment_card_number, "Issuer
// identification number") and a processor's published rules (CyberSource,
// https://developer.cybersource.com/docs/cybs/en-us/test-data/developer/all/so/test-data/best_practices_intro/card_type_id.html).
//
// Where they differ:
//
//   - discover: <Pay> lists 64; Wikipedia and CyberSource both give
//     644–649 (CyberSource 644000–659999), 640–643 not being Discover's.
//     Chosen: 644–649. A number starting 640–643 falls to maestro's 6.
//     Wikipedia also lists 622126–622925 (UnionPay cards Discover
//     accepts); <Pay> does not, and neither do we: they are maestro here.
//     CyberSource narrows 6011 to sub-ranges; we keep 6011 whole, as <Pay>
//     and Wikipedia do.
//   - maestro: <Pay> lists 50, 56–58 and 6; CyberSource gives 50, 56–64
//     and 66–69, an older Wikipedia table 50 and 56–69 (both take in 59),
//     and today's Wikipedia a short list of four-digit prefixes
//     (5018, 5020, 5038, 5893, 6304, 6759, 6761–6763). Chosen: <Pay>'s,
//     so a number <Pay> would take is taken here; 59 is no brand.
//   - diners-club: <Pay> lists 300–305, 3095, 36, 38 and 39, as
//     CyberSource does and as Wikipedia did (Wikipedia's 309 is
//     CyberSource's 309500–309599). Same prefixes; see the lengths below.
//   - mastercard (222100–272099, 510000–559999), amex (34, 37),
//     jcb (3528–3589), enroute (2014, 2149) and visa (4): all three agree.
//     Wikipedia's Diners Club United States & Canada (54, 55) cards are
//     processed as Mastercard, and are mastercard here.
//
// Overlaps are settled by the most specific prefix: discover's 6011 and
// 644–649 and 65 win over maestro's 6, so 6011… is discover and 6012… is
// maestro. No two rules of the same length overlap (a test checks), so the
// longest match is the only one. Diners' 36 overlaps nothing; it only had
// its own lengths in <Pay>'s table.
var prefixes = []prefixRule{
	{1, 4, 4, Visa},
	{6, 222100, 272099, Mastercard},
	{6, 510000, 559999, Mastercard},
	{2, 34, 34, Amex},
	{2, 37, 37, Amex},
	{2, 50, 50, Maestro},
	{2, 56, 58, Maestro},
	{1, 6, 6, Maestro},
	{4, 6011, 6011, Discover},
	{3, 644, 649, Discover},
	{2, 65, 65, Discover},
	{4, 3528, 3589, JCB},
	{3, 300, 305, DinersClub},
	{4, 3095, 3095, DinersClub},
	{2, 36, 36, DinersClub},
	{2, 38, 39, DinersClub},
	{4, 2014, 2014, EnRoute},
	{4, 2149, 2149, EnRoute},
}

// lengths gives the number lengths each brand issues, as a set of bits
// (bit n set: n digits). From <Pay>'s table, where they differ:
//
//   - visa: <Pay> prints 13, 15 and 19; Visa issues 13, 16 and 19
//     (Wikipedia; every processor's Visa test number has 16). Chosen:
//     13, 16, 19. <Pay>'s 15 reads as a misprint of 16.
//   - diners-club: <Pay> gives 16–19, or 14–19 when the number starts
//     with 36. Carte Blanche's 300–305 and the 38 range were issued with
//     14 digits (Wikipedia, CyberSource: "Valid length: 14 digits"), and
//     processors' test numbers say so too (Braintree's Carte Blanche
//     30569309025904 and Diners 38520000023237). Chosen: 14–19 for every
//     diners prefix.
//   - discover: <Pay> 16–19, Wikipedia 16–19, CyberSource 16: <Pay>'s.
//   - jcb: <Pay> and CyberSource 16–19, an older Wikipedia table 16:
//     <Pay>'s.
//   - enroute: 15 everywhere. Wikipedia marks enRoute "no validation"
//     (no Luhn check digit) and no longer issued; we still require the
//     check digit, as for every brand, since a keyed number without one
//     cannot be told from a mistyped one.
var lengths = map[Brand]uint32{
	Visa:       1<<13 | 1<<16 | 1<<19,
	Mastercard: 1 << 16,
	Amex:       1 << 15,
	Maestro:    between(12, 19),
	Discover:   between(16, 19),
	JCB:        between(16, 19),
	DinersClub: between(14, 19),
	EnRoute:    1 << 15,
}

// between is the set of lengths lo..hi.
func between(lo, hi int) uint32 {
	var set uint32
	for n := lo; n <= hi; n++ {
		set |= 1 << n
	}
	return set
}

// issues reports whether b issues numbers of n digits.
func (b Brand) issues(n int) bool {
	return n >= 0 && n < 32 && lengths[b]&(1<<n) != 0
}

// BrandOf names the brand of a number from its leading digits, by the
// table above; the most specific prefix wins. It looks at nothing else: not
// the length, not the check digit (CheckNumber does). It reports false for
// an empty string, anything but the digits 0–9, more than MaxNumberLen
// digits, or leading digits no brand uses.
func BrandOf(number string) (Brand, bool) {
	if len(number) == 0 || len(number) > MaxNumberLen || !allDigits(number) {
		return "", false
	}
	var best prefixRule
	for _, r := range prefixes {
		if r.digits <= best.digits || r.digits > len(number) {
			continue
		}
		if v := leading(number, r.digits); v >= r.lo && v <= r.hi {
			best = r
		}
	}
	return best.brand, best.digits > 0
}

// leading reads the first n digits of s, which holds digits only, as a
// number.
func leading(s string, n int) int {
	v := 0
	for i := range n {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// allDigits reports whether s holds only the digits 0–9.
func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
