package tutorial

import (
	"fmt"
	"io"
	"log/slog"
)

// Hidden is a setting that never prints, such as TWILIO_AUTH_TOKEN: fmt
// (every verb, also inside a struct), slog and encoding/json show
// "[hidden]". Reveal returns the value, for the one place that needs it.
type Hidden struct {
	h *hiddenValue // nil when empty
}

// hiddenValue keeps the string two pointers away from any value that
// holds a Hidden: fmt's reflection prints a pointer inside a value as an
// address and follows one level at most.
type hiddenValue struct{ v *string }

// NewHidden returns a Hidden holding s; "" gives the empty Hidden.
func NewHidden(s string) Hidden {
	if s == "" {
		return Hidden{}
	}
	return Hidden{&hiddenValue{&s}}
}

// Reveal returns the value. Handle it as the secret it is.
func (h Hidden) Reveal() string {
	if h.h == nil {
		return ""
	}
	return *h.h.v
}

// IsEmpty reports whether no value is set.
func (h Hidden) IsEmpty() bool { return h.h == nil }

// String returns "[hidden]", or "[empty]" when no value is set.
func (h Hidden) String() string {
	if h.h == nil {
		return "[empty]"
	}
	return "[hidden]"
}

// GoString returns String, for %#v.
func (h Hidden) GoString() string { return h.String() }

// Format makes every fmt verb print String.
func (h Hidden) Format(f fmt.State, _ rune) { io.WriteString(f, h.String()) }

// MarshalJSON encodes String as a JSON string, never the value.
func (h Hidden) MarshalJSON() ([]byte, error) { return []byte(`"` + h.String() + `"`), nil }

// LogValue is String, for log/slog.
func (h Hidden) LogValue() slog.Value { return slog.StringValue(h.String()) }
