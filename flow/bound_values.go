package flow

import (
	"fmt"
	"strings"
)

// boundValuesLabel begins the additional data of a bound value; its
// version changes if the layout ever does.
const boundValuesLabel = "encgather value v1"

// AdditionalData returns the AES-GCM additional data that binds a value to
// the field it was gathered for and the call it was gathered on, as
// WithBoundValues seals it. The bytes are
//
//	"encgather value v1" 0x00 field 0x00 callSid
//
// in UTF-8, with no length prefixes and no terminator; a field name holds
// no NUL byte (New refuses one under WithBoundValues), so the layout is
// unambiguous. A backend opens a bound value with
// aescrypt.Cipher.Open(hex, AdditionalData(field, callSid)), where field is
// the JSON name the value came under and callSid is the value of
// Backend.CallSidField in the same body; in Node, it passes
// Buffer.from("encgather value v1\0" + field + "\0" + callSid) to
// decipher.setAAD.
func AdditionalData(field, callSid string) []byte {
	return appendAdditionalData(make([]byte, 0, len(boundValuesLabel)+2+len(field)+len(callSid)), field, callSid)
}

func appendAdditionalData(dst []byte, field, callSid string) []byte {
	dst = append(dst, boundValuesLabel...)
	dst = append(dst, 0)
	dst = append(dst, field...)
	dst = append(dst, 0)
	return append(dst, callSid...)
}

// WithBoundValues makes the flow seal each sensitive value with
// AdditionalData(field, callSid), so that a backend which opens it with
// the same additional data refuses a value moved to another field or
// copied from another call. It is off by default, because the tutorial's
// Node backend opens values without additional data; a backend must be
// changed to open bound values (the example's decrypt-gather does with
// BIND_VALUES=1).
//
// It concerns the flow's own sealer: with WithSealer, New reports
// ErrDefinition, since a Sealer is handed the field and CallSid and binds
// them as it chooses.
func WithBoundValues() Option {
	return flowOption(func(c *config) error { c.boundValues = true; return nil })
}

// checkBoundValues refuses what WithBoundValues cannot work with: a
// Sealer of the service's, or a field name with a NUL byte.
func (f *Flow) checkBoundValues() error {
	if !f.cfg.boundValues {
		return nil
	}
	if f.cfg.sealer != nil {
		return fmt.Errorf("%w: WithBoundValues binds the flow's own sealer, not a Sealer given with WithSealer", ErrDefinition)
	}
	for i := range f.steps {
		if strings.IndexByte(f.steps[i].field(), 0) >= 0 {
			return fmt.Errorf("%w: step %q: a bound value's field name must not hold a NUL byte", ErrDefinition, f.steps[i].Name)
		}
	}
	return nil
}
