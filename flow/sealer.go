package flow

import (
	"fmt"

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
		return field{step: idx, plain: true, value: []byte(digits)}, nil
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
	return field{step: idx, value: sealed}, nil
}
