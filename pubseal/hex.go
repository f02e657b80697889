package pubseal

// unhex maps a lowercase hex digit to its value and anything else, upper
// case included, to 0xff: each value and key has one text form.
var unhex = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := byte(0); i < 10; i++ {
		t['0'+i] = i
	}
	for i := byte(0); i < 6; i++ {
		t['a'+i] = 10 + i
	}
	return t
}()

// decodeLowerHex decodes lowercase hex of even length, without a branch
// per character.
func decodeLowerHex(s string) ([]byte, bool) {
	if len(s)%2 != 0 {
		return nil, false
	}
	out := make([]byte, len(s)/2)
	var bad byte
	for i := range out {
		hi, lo := unhex[s[2*i]], unhex[s[2*i+1]]
		bad |= hi | lo
		out[i] = hi<<4 | lo&0x0f
	}
	if bad&0xf0 != 0 {
		clear(out)
		return nil, false
	}
	return out, true
}
