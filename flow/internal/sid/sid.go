// Package sid checks Twilio SIDs: a two-letter prefix naming the kind of
// resource ("CA" a call, "AC" an account, "SK" an API key) and 32 hex
// digits.
package sid

// Prefixes of the SIDs flow and its recording client check.
const (
	Call    = "CA"
	Account = "AC"
	APIKey  = "SK"
)

// Valid reports whether s is a SID of the kind prefix: the prefix and 32
// hex digits. The check keeps arbitrary input out of REST paths, additional
// data and log lines, and builds no string.
func Valid(s, prefix string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
