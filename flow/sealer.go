package flow

import (
	"fmt"
	"strings"

	"github.com/encgather/encgather/aescrypt"
)

// Sealer seals one sensitive value for the backend that opens it. field
// and callSid are the value's context; a Sealer may bind them into the
// sealed value (as AES-GCM additional data, or as HPKE info).
//
// SealValue appends the sealed value to dst and returns the result. It
// must not keep value, and its error must not quote it. A flow hands the
// sealed bytes to its Finish hex-encoded, in Result.Sealed.
type Sealer interface {
	SealValue(dst, value []byte, field, callSid string) ([]byte, error)
}

// WithSealer makes the flow seal sensitive values with s instead of the
// master cipher. The master cipher then only derives the key that seals
// the state; it never seals a value. A Sealer's error ends the call with
// the apology. A Sealer whose values are longer than AES-GCM's should
// implement SizedSealer.
//
// A *pubseal.PublicKey is a SizedSealer: with it, the service seals values
// it cannot open itself. Give New a cipher of a secret of its own then (a
// state secret, used for nothing else), so that nothing the service holds
// opens a value.
func WithSealer(s Sealer) Option {
	return flowOption(func(c *config) error {
		if s == nil {
			return fmt.Errorf("%w: nil Sealer", ErrDefinition)
		}
		c.sealer = s
		return nil
	})
}

// cipherSealer is the default Sealer: the master cipher in the tutorial's
// format (aescrypt's nonce || ciphertext || tag), without additional data
// unless bound (WithBoundValues).
type cipherSealer struct {
	c     *aescrypt.Cipher
	bound bool
}

func (s cipherSealer) SealValue(dst, value []byte, field, callSid string) ([]byte, error) {
	if !s.bound {
		return s.c.SealBytes(dst, value, nil), nil
	}
	var scratch [96]byte // the additional data of a typical field name
	return s.c.SealBytes(dst, value, appendAdditionalData(scratch[:0], field, callSid)), nil
}

// gathered turns accepted digits into a field: sealed by the flow's
// Sealer, unless the step is plain. This is the only place plaintext is
// kept, and only for the length of the request.
func (f *Flow) gathered(idx int, digits, callSid string) (field, error) {
	step := &f.steps[idx]
	if step.Plain {
		return field{step: int32(idx), plain: true, value: []byte(digits)}, nil
	}
	// One buffer: room for the sealed value, then a copy of the digits
	// for the Sealer, wiped once sealed. dst's capacity ends where the
	// copy begins, so a Sealer appending past it reallocates instead.
	size := aescrypt.NonceSize + len(digits) + aescrypt.Overhead
	buf := make([]byte, size+len(digits))
	value := buf[size:]
	copy(value, digits)
	sealed, err := f.sealer.SealValue(buf[:0:size], value, step.field(), callSid)
	clear(value)
	if err != nil {
		return field{}, fmt.Errorf("flow: sealing step %q: %w", step.Name, err)
	}
	if err := checkSealedLen(step, sealed); err != nil {
		return field{}, err
	}
	return field{step: int32(idx), value: sealed}, nil
}

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
// the CallSid sent in the same body; in Node, it passes
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
