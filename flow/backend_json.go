package flow

import (
	"errors"
	"slices"
	"unicode/utf8"
)

// errCallSidField is reported, wrapped in ErrBackend, when a field has the
// name the CallSid is sent under.
var errCallSidField = errors.New("a field is named as Backend.CallSidField")

// appendBody appends the JSON object PostJSON sends: r's sealed and plain
// fields and r.CallSid under callSidField. Names come in byte order and
// strings are escaped as encoding/json writes them, so the bytes are those
// json.Marshal gives for the same map, without its reflection.
func appendBody(dst []byte, r *Result, callSidField string) ([]byte, error) {
	if _, ok := r.Sealed[callSidField]; ok {
		return dst, errCallSidField
	}
	if _, ok := r.Plain[callSidField]; ok {
		return dst, errCallSidField
	}
	var scratch [8]string // the names of a typical flow, without allocating
	names := append(scratch[:0], callSidField)
	for name := range r.Sealed {
		names = append(names, name)
	}
	for name := range r.Plain {
		names = append(names, name)
	}
	slices.Sort(names)
	if dst == nil {
		dst = make([]byte, 0, bodySize(r, callSidField))
	}
	dst = append(dst, '{')
	for i, name := range names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, name)
		dst = append(dst, ':')
		dst = appendJSONString(dst, bodyValue(r, name, callSidField))
	}
	return append(dst, '}'), nil
}

// bodyValue is the value sent under name.
func bodyValue(r *Result, name, callSidField string) string {
	if name == callSidField {
		return r.CallSid
	}
	if v, ok := r.Sealed[name]; ok {
		return v
	}
	return r.Plain[name]
}

// bodySize is the size of the body when nothing needs escaping, which is
// the case for a flow's names, hex values, digits and CallSid.
func bodySize(r *Result, callSidField string) int {
	n := len(`{"":""}`) + len(callSidField) + len(r.CallSid)
	for name, v := range r.Sealed {
		n += len(`,"":""`) + len(name) + len(v)
	}
	for name, v := range r.Plain {
		n += len(`,"":""`) + len(name) + len(v)
	}
	return n
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it: '"', '\\' and control characters; '<', '>' and '&' for
// HTML; U+2028 and U+2029 for JavaScript; invalid UTF-8 as U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe(c) {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// jsonSafe reports whether an ASCII byte is written as itself.
func jsonSafe(c byte) bool {
	return c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
}
