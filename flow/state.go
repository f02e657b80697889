package flow

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/encgather/encgather/aescrypt"
)

// stateVersion is the first byte of every sealed state; a new layout gets a
// new number so that old tokens fail cleanly instead of being misread.
// Version 2 writes each field's length in two bytes, for sealed values
// longer than 255 bytes (a public-key Sealer's, WithSealer).
const stateVersion = 2

// maxTokenLen bounds the state parameter before any decoding. Ten 4-digit
// fields need about 500 characters. New refuses a flow whose tokens could
// be longer, so that an action URL stays within twilioURLLimit.
const maxTokenLen = twilioURLLimit - urlReserve

// maxFields bounds the fields one call can carry (the count is one byte).
const maxFields = 255

// tokenEncoding is the state token's encoding. It is strict: a token whose
// last character carries bits beyond the last byte is refused, so each
// sealed state has exactly one spelling.
var tokenEncoding = base64.RawURLEncoding.Strict()

// stateAAD is the fixed prefix of the additional data every state is sealed
// with, so a state can never be mistaken for any other sealed value.
const stateAAD = "encgather flow state v1\x00"

// state is what a call carries from one request to the next: where it is, how
// often the current step has been tried, and the values gathered so far.
type state struct {
	issuedAt time.Time
	attempt  int // 1-based attempt of the step the state was issued for
	fields   []field

	// paused says the call's recording is paused for the step the state
	// was issued for. It travels in the attempt byte's high bit
	// (statePaused), so a token issued before the bit existed reads as
	// not paused, and the next sensitive step pauses.
	paused bool

	// id names the sealed token this state was opened from, for single
	// use; a state being built for a new token has none.
	id TokenID
}

// statePaused is the bit of the attempt byte that carries state.paused;
// attempts (at most 10) use the low bits.
const statePaused = 1 << 7

// field is one gathered value. A sensitive value holds what the Sealer
// appended, in binary (by default aescrypt's nonce || ciphertext || tag);
// a plain one holds the digits themselves, which is safe only because
// plain steps are, by the service's own declaration, not secret.
type field struct {
	step  int // index of the step that gathered it
	plain bool
	value []byte
}

const fieldPlain = 1 << 0

// stateCodec seals and opens states. Its cipher is derived from the master
// key, so the master key never seals anything but backend-facing fields.
type stateCodec struct {
	cipher      *aescrypt.Cipher
	fingerprint [16]byte // binds a state to one flow definition (definitionHash)
}

func newStateCodec(master *aescrypt.Cipher, steps []Step) stateCodec {
	var c stateCodec
	copy(c.fingerprint[:], definitionHash(steps))
	c.cipher = master.Derive("encgather flow state v1")
	return c
}

// definitionHash hashes what gives a state's fields their meaning: each
// step's name, field name, sensitivity and digit limits, in order. A state
// issued by a flow that differs in any of them fails to open, so a value
// gathered as plain can never be handed over as sealed, nor one value
// under another step's field name or length.
func definitionHash(steps []Step) []byte {
	h := sha256.New()
	buf := []byte("encgather flow definition v1\x00")
	for i := range steps {
		s := &steps[i]
		buf = binary.AppendUvarint(buf, uint64(len(s.Name)))
		buf = append(buf, s.Name...)
		buf = binary.AppendUvarint(buf, uint64(len(s.field())))
		buf = append(buf, s.field()...)
		var flags uint8
		if s.Plain {
			flags |= fieldPlain
		}
		buf = append(buf, flags)
		buf = binary.AppendUvarint(buf, uint64(s.Digits.Min))
		buf = binary.AppendUvarint(buf, uint64(s.Digits.Max))
		h.Write(buf)
		buf = buf[:0]
	}
	return h.Sum(nil)
}

// additionalData binds a state to its flow, its call and the step it was
// issued for: a state moved to another call or another step fails to open.
func (c *stateCodec) additionalData(dst []byte, callSid, step string) []byte {
	dst = append(dst, stateAAD...)
	dst = append(dst, c.fingerprint[:]...)
	dst = append(dst, callSid...)
	dst = append(dst, 0)
	dst = append(dst, step...)
	return dst
}

// appendToken appends st, sealed and base64url-encoded, to dst. The
// plaintext and the sealed bytes share one pooled buffer, so the token
// costs no allocation beyond dst's growth.
func (c *stateCodec) appendToken(dst []byte, st *state, callSid, step string) []byte {
	size := stateHeaderLen
	for _, f := range st.fields {
		size += fieldHeaderLen + len(f.value)
	}
	adSize := len(stateAAD) + len(c.fingerprint) + len(callSid) + 1 + len(step)
	bp := getScratch(2*size + adSize + aescrypt.NonceSize + aescrypt.Overhead)
	buf := append(*bp, stateVersion)
	buf = binary.BigEndian.AppendUint64(buf, uint64(st.issuedAt.Unix()))
	attempt := uint8(st.attempt)
	if st.paused {
		attempt |= statePaused
	}
	buf = append(buf, attempt, uint8(len(st.fields)))
	for _, f := range st.fields {
		var flags uint8
		if f.plain {
			flags |= fieldPlain
		}
		buf = append(buf, uint8(f.step), flags)
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(f.value)))
		buf = append(buf, f.value...)
	}
	plaintext := buf
	ad := c.additionalData(buf[len(buf):], callSid, step)
	rest := ad[len(ad):]
	sealed := c.cipher.SealBytes(rest, plaintext, ad)
	dst = base64.RawURLEncoding.AppendEncode(dst, sealed)
	putScratch(bp, plaintext)
	return dst
}

var errState = errors.New("flow: invalid state")

// open opens a token that appendToken made. Every failure is errState: a caller learns nothing
// about why a token was refused.
func (c *stateCodec) open(token, callSid, step string, stepCount int) (*state, error) {
	if len(token) == 0 || len(token) > maxTokenLen {
		return nil, errState
	}
	// One pooled buffer holds the decoded token and, after it, the
	// additional data; OpenBytes copies the plaintext out of it.
	n := tokenEncoding.DecodedLen(len(token))
	bp := getScratch(n + len(stateAAD) + len(c.fingerprint) + len(callSid) + 1 + len(step))
	buf := (*bp)[:n]
	m, ok := decodeToken(buf, token)
	if !ok {
		putScratch(bp, buf)
		return nil, errState
	}
	sealed := buf[:m]
	ad := c.additionalData(buf[n:n], callSid, step)
	plaintext, err := c.cipher.OpenBytes(sealed, ad)
	var id TokenID
	if err == nil {
		id = tokenID(sealed)
	}
	putScratch(bp, buf)
	if err != nil {
		return nil, errState
	}
	st, err := decodeState(plaintext, stepCount)
	if err != nil {
		return nil, err
	}
	st.id = id
	return st, nil
}

// tokenID names an opened token by its GCM tag. The tag is unique to the
// token (its nonce is random), cannot be forged without the state key, and
// reads the same on every replica, whichever of the keys in rotation
// opened it: so two replicas can never give one token two names.
func tokenID(sealed []byte) TokenID {
	return TokenID(sealed[len(sealed)-aescrypt.Overhead:])
}

// decodeToken decodes base64url from a string in chunks of whole quanta,
// sparing the copy of the token that []byte(token) would make. Only the
// last chunk can end in a partial quantum, and tokenEncoding refuses one
// with bits set beyond its last byte. Every byte must be of the base64url
// alphabet: package base64 skips CR and LF, which would give one state
// more than one spelling.
func decodeToken(dst []byte, token string) (int, bool) {
	var chunk [128]byte
	n := 0
	for len(token) > 0 {
		k := copy(chunk[:], token)
		for _, c := range chunk[:k] {
			if !base64URLByte(c) {
				return 0, false
			}
		}
		m, err := tokenEncoding.Decode(dst[n:], chunk[:k])
		if err != nil {
			return 0, false
		}
		n += m
		token = token[k:]
	}
	return n, true
}

// base64URLByte reports whether c is of the unpadded base64url alphabet.
func base64URLByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// openedState is a decoded state with room for the fields of a typical
// call, and the one the step adds, in the same allocation.
type openedState struct {
	state
	room [4]field
}

// decodeState parses an opened state. The input is authenticated, so a
// failure here means a bug or a key shared with something else, never an
// attacker; it is still checked in full.
func decodeState(plaintext []byte, stepCount int) (*state, error) {
	s := cryptobyte.String(plaintext)
	var version, attempt, count uint8
	var issued uint64
	if !s.ReadUint8(&version) || version != stateVersion ||
		!s.ReadUint64(&issued) || !s.ReadUint8(&attempt) || !s.ReadUint8(&count) {
		return nil, errState
	}
	o := new(openedState)
	st := &o.state
	*st = state{
		issuedAt: time.Unix(int64(issued), 0),
		attempt:  int(attempt &^ statePaused),
		paused:   attempt&statePaused != 0,
		fields:   o.room[:0],
	}
	if int(count)+1 > len(o.room) {
		st.fields = make([]field, 0, int(count)+1)
	}
	for range int(count) {
		var stepIndex, flags uint8
		var value cryptobyte.String
		if !s.ReadUint8(&stepIndex) || !s.ReadUint8(&flags) || !s.ReadUint16LengthPrefixed(&value) {
			return nil, errState
		}
		if int(stepIndex) >= stepCount {
			return nil, errState
		}
		st.fields = append(st.fields, field{step: int(stepIndex), plain: flags&fieldPlain != 0, value: value})
	}
	if !s.Empty() {
		return nil, errState
	}
	return st, nil
}

// sealedActionURL is where Twilio sends the answer to a step: base (the
// public URL of the current document, with WithAbsoluteURLs) or, by
// default, relative to the current document, so the flow works under any
// mount point; its query names the step and carries st, sealed for it. The
// URL is built in a pooled buffer, so the string is its one allocation.
func (f *Flow) sealedActionURL(base, step string, st *state, callSid string) string {
	bp := getScratch(0)
	b := appendActionPrefix(*bp, base, step)
	b = f.states.appendToken(b, st, callSid, step)
	action := string(b)
	*bp = b
	putScratch(bp, nil) // nothing secret: a URL
	return action
}

// appendActionPrefix appends an action URL up to its token.
func appendActionPrefix(dst []byte, base, step string) []byte {
	dst = append(dst, base...)
	dst = append(dst, '?')
	dst = append(dst, stepParam...)
	dst = append(dst, '=')
	dst = append(dst, step...) // names are [A-Za-z0-9_-]: nothing to escape
	dst = append(dst, '&')
	dst = append(dst, stateParam...)
	dst = append(dst, '=')
	return dst // a token is base64url: nothing to escape
}

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

// maxFieldLen is the most bytes one field's value may take in a state:
// what a token of maxTokenLen characters holds with nothing else in it
// (2,582 bytes). Its length is written in two bytes.
const maxFieldLen = maxTokenLen*3/4 - stateHeaderLen - fieldHeaderLen - aescrypt.NonceSize - aescrypt.Overhead

// State layout sizes (see appendToken): version, issue time, attempt and
// field count; then per field its step, flags and length.
const (
	stateHeaderLen = 1 + 8 + 1 + 1
	fieldHeaderLen = 4
)

// SizedSealer is a Sealer that tells how long its sealed values are. New
// uses it to refuse, at start, a flow whose state tokens could outgrow
// what fits in a URL. A Sealer that does not implement it is assumed to
// seal as AES-GCM does: aescrypt.NonceSize + n + aescrypt.Overhead bytes.
// A flow fails a request, with the apology, whose sealed value is longer
// than a state token can hold (2,582 bytes).
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
