package flow

import (
	"fmt"

	"github.com/encgather/encgather/aescrypt"
)

// twilioURLLimit is the longest URL Twilio documents that it accepts for a
// callback: 4,000 characters (error 21609, "The URL exceeds the
// 4000-character limit", https://www.twilio.com/docs/api/errors/21609).
// Twilio documents no other figure for a <Gather> action or <Redirect>
// URL, so a flow keeps its action URLs within this one.
const twilioURLLimit = 4000

// urlReserve is what an action URL may hold besides the token: the public
// URL and path of the webhook (Twilio resolves a relative action against
// it) and "?step=NAME&state=". maxTokenLen + urlReserve = twilioURLLimit.
const urlReserve = 500

// maxFieldLen is the most bytes one field's value may take in a state: its
// length is written in one byte.
const maxFieldLen = 255

// State layout sizes (see stateCodec.seal): version, issue time, attempt
// and field count; then per field its step, flags and length.
const (
	stateHeaderLen = 1 + 8 + 1 + 1
	fieldHeaderLen = 3
)

// SizedSealer is a Sealer that tells how long its sealed values are. New
// uses it to refuse, at start, a flow whose state tokens could outgrow
// what fits in a URL. A Sealer that does not implement it is assumed to
// seal as AES-GCM does: aescrypt.NonceSize + n + aescrypt.Overhead bytes.
// A flow fails a request, with the apology, whose sealed value is longer
// than 255 bytes.
type SizedSealer interface {
	Sealer
	// SealedLen returns the most bytes SealValue appends for an n-byte
	// value.
	SealedLen(n int) int
}

// SealedLen is the AES-GCM size of the default Sealer.
func (cipherSealer) SealedLen(n int) int { return aesSealedLen(n) }

func aesSealedLen(n int) int { return aescrypt.NonceSize + n + aescrypt.Overhead }

// sealedLen is how many bytes step's value takes in a state at most.
func sealedLen(step *Step, sealer Sealer) int {
	n := step.Digits.Max
	if step.Plain {
		return n
	}
	if s, ok := sealer.(SizedSealer); ok {
		return s.SealedLen(n)
	}
	return aesSealedLen(n)
}

// checkTokenSize refuses a flow that could issue a state token longer than
// maxTokenLen, counting every field at its most digits. A token carries the
// fields gathered before the step it asks: in a flow without Next, at most
// every step's but the last; with a Next that may lead back, every step's.
func checkTokenSize(steps []Step, sealer Sealer) error {
	carried := len(steps) - 1
	for i := range steps {
		if steps[i].Plain && steps[i].Next != nil {
			carried = len(steps)
		}
	}
	size := stateHeaderLen + aescrypt.NonceSize + aescrypt.Overhead
	for i := range steps {
		n := sealedLen(&steps[i], sealer)
		if n > maxFieldLen {
			return fmt.Errorf("%w: step %q: a sealed value of %d bytes, over the %d a state holds", ErrDefinition, steps[i].Name, n, maxFieldLen)
		}
		if i < carried {
			size += fieldHeaderLen + n
		}
	}
	if n := tokenEncoding.EncodedLen(size); n > maxTokenLen {
		return fmt.Errorf("%w: a state token of up to %d characters, over the limit of %d: ask for fewer or shorter values", ErrDefinition, n, maxTokenLen)
	}
	return nil
}

// checkSealedLen is the check at run time for a Sealer that does not keep
// to its size: a field longer than a state holds fails the request.
func checkSealedLen(step *Step, sealed []byte) error {
	if len(sealed) > maxFieldLen {
		return fmt.Errorf("flow: sealing step %q: a sealed value of %d bytes, over the %d a state holds", step.Name, len(sealed), maxFieldLen)
	}
	return nil
}
