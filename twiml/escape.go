package twiml

import "unicode/utf8"

// replacement is written for invalid UTF-8 and for characters XML cannot
// carry.
const replacement = "\uFFFD"

// appendText appends s escaped as element content. A carriage return is
// written as a character reference, because an XML reader turns a literal
// one into a line feed.
func appendText(dst []byte, s string) []byte {
	return appendEscaped(dst, s, &textSafe, false)
}

// appendAttr appends s escaped as a double-quoted attribute value. Tab, line
// feed and carriage return are written as character references, because an
// XML reader may normalize literal ones to spaces.
func appendAttr(dst []byte, s string) []byte {
	return appendEscaped(dst, s, &attrSafe, true)
}

// textSafe and attrSafe mark the bytes written as they are: printable ASCII
// other than the characters escaped in text or attribute values.
var textSafe, attrSafe = safeBytes("<>&", "\t\n"), safeBytes("<>&\"", "")

func safeBytes(escaped, controls string) (safe [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = true
	}
	for i := 0; i < len(controls); i++ {
		safe[controls[i]] = true
	}
	for i := 0; i < len(escaped); i++ {
		safe[escaped[i]] = false
	}
	return safe
}

// appendEscaped copies runs of safe bytes whole and escapes or replaces
// the rest.
func appendEscaped(dst []byte, s string, safe *[256]bool, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if safe[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !(r == utf8.RuneError && size == 1) && isXMLChar(r) {
				i += size
				continue
			}
			dst = append(dst, s[last:i]...)
			dst = append(dst, replacement...)
			i += size
			last = i
			continue
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, asciiEscape(c, attr)...)
		i++
		last = i
	}
	return append(dst, s[last:]...)
}

// asciiEscape returns what to write for an ASCII byte that is not written
// as it is.
func asciiEscape(c byte, attr bool) string {
	switch c {
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '&':
		return "&amp;"
	case '"':
		return "&quot;"
	case '\r':
		return "&#xD;"
	case '\n':
		return "&#xA;"
	case '\t':
		return "&#x9;"
	}
	return replacement
}

// isXMLChar reports whether XML 1.0 can carry r (its Char production).
func isXMLChar(r rune) bool {
	switch {
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// validXML reports whether s is valid UTF-8 made only of characters XML can
// carry, so that it renders unchanged.
func validXML(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !isXMLChar(r) {
			return false
		}
		i += size
	}
	return true
}
