package twiml

import (
	"strconv"
	"time"
)

// appendStrAttr appends name="value", or nothing when value is empty.
func appendStrAttr(dst []byte, name, value string) []byte {
	if value == "" {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, `="`...)
	dst = appendAttr(dst, value)
	return append(dst, '"')
}

// appendCountAttr appends name="n", or nothing when n is 0.
func appendCountAttr(dst []byte, name string, n int) []byte {
	if n == 0 {
		return dst
	}
	return appendIntAttr(dst, name, int64(n))
}

// appendBoolAttr appends name="true", or nothing when b is false.
func appendBoolAttr(dst []byte, name string, b bool) []byte {
	if !b {
		return dst
	}
	return appendRawAttr(dst, name, "true")
}

// appendToggleAttr appends name="true" or name="false", or nothing for
// ToggleDefault. A Toggle outside its constants is written as neither;
// Validate reports it.
func appendToggleAttr(dst []byte, name string, t Toggle) []byte {
	switch t {
	case ToggleOn:
		return appendRawAttr(dst, name, "true")
	case ToggleOff:
		return appendRawAttr(dst, name, "false")
	}
	return dst
}

// appendListAttr appends the values separated by spaces, or nothing when
// there are none.
func appendListAttr[S ~string](dst []byte, name string, values []S) []byte {
	if len(values) == 0 {
		return dst
	}
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, `="`...)
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = appendAttr(dst, string(v))
	}
	return append(dst, '"')
}

// appendRawAttr appends name="value" for a value that needs no escaping.
func appendRawAttr(dst []byte, name, value string) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, `="`...)
	dst = append(dst, value...)
	return append(dst, '"')
}

func appendIntAttr(dst []byte, name string, n int64) []byte {
	dst = append(dst, ' ')
	dst = append(dst, name...)
	dst = append(dst, `="`...)
	dst = strconv.AppendInt(dst, n, 10)
	return append(dst, '"')
}

// appendLoop appends a loop attribute: nothing for 0, "0" for LoopForever.
func appendLoop(dst []byte, n int) []byte {
	switch n {
	case 0:
		return dst
	case LoopForever:
		return append(dst, ` loop="0"`...)
	}
	return appendIntAttr(dst, "loop", int64(n))
}

// appendSecondsAttr appends d in whole seconds, or nothing when d is 0.
func appendSecondsAttr(dst []byte, name string, d time.Duration) []byte {
	if d == 0 {
		return dst
	}
	return appendIntAttr(dst, name, seconds(d))
}

// appendMillisAttr appends d in whole milliseconds, or nothing when d is 0.
func appendMillisAttr(dst []byte, name string, d time.Duration) []byte {
	if d == 0 {
		return dst
	}
	return appendIntAttr(dst, name, roundUp(d, time.Millisecond))
}

// seconds returns d in whole seconds, rounded away from zero, so that only a
// zero duration gives 0.
func seconds(d time.Duration) int64 {
	return roundUp(d, time.Second)
}

// roundUp returns d in whole units, rounded away from zero.
func roundUp(d, unit time.Duration) int64 {
	n := int64(d / unit)
	switch {
	case d%unit == 0:
	case d > 0:
		n++
	default:
		n--
	}
	return n
}
