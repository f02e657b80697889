// Package hexstrict decodes hex strictly and without a branch per
// character: the whole input must be hex of the expected length, nothing
// else is accepted, and its time depends on the length only, so decoding a
// key or a sealed value tells nothing of its bytes.
package hexstrict

// lower maps a lowercase hex digit to its value and anything else to 0xff.
var lower = table(false)

// anyCase maps a hex digit of either case to its value and anything else
// to 0xff.
var anyCase = table(true)

func table(upper bool) (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := byte(0); i < 10; i++ {
		t['0'+i] = i
	}
	for i := byte(0); i < 6; i++ {
		t['a'+i] = 10 + i
		if upper {
			t['A'+i] = 10 + i
		}
	}
	return t
}

// DecodeLower decodes s, lowercase hex of exactly 2*len(dst) characters,
// into dst. It reports whether s was that; if not, dst is cleared.
func DecodeLower(dst []byte, s string) bool { return decode(dst, s, &lower) }

// Decode is DecodeLower for hex in either case.
func Decode(dst []byte, s string) bool { return decode(dst, s, &anyCase) }

func decode(dst []byte, s string, t *[256]byte) bool {
	if len(s) != 2*len(dst) {
		clear(dst)
		return false
	}
	var bad byte
	for i := range dst {
		hi, lo := t[s[2*i]], t[s[2*i+1]]
		bad |= hi | lo
		dst[i] = hi<<4 | lo&0x0f
	}
	if bad&0xf0 != 0 {
		clear(dst)
		return false
	}
	return true
}
