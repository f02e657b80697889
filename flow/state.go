package flow

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"github.com/encgather/encgather/aescrypt"
)

// stateVersion is the first byte of every sealed state; a new layout gets a
// new number so that old tokens fail cleanly instead of being misread.
// Version 3 (see state) added each token's expiry, the request count,
// field kinds, facts and the path to version 2.
const stateVersion = 3

// maxTokenLen bounds the state parameter before any decoding. New refuses a flow whose tokens could
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
//
// The layout (version 3), sealed whole:
//
//	version   1 byte
//	issued    8 bytes, Unix seconds
//	expires   uvarint, seconds after issued
//	attempt   1 byte; its high bit is statePaused
//	requests  uvarint: the tokens issued for the call, this one included
//	count     1 byte: the fields that follow, in the order of the path
//	field     step index (1 byte), flags (1 byte), uvarint length, value;
//	          with fieldFacts, a uvarint length and the facts, each a
//	          1-byte length and its bytes, in the order of the step's Reveals
//	entry     only when the call has entry parameters (WithEntryParams):
//	          a uvarint length (not 0) and their values, encoded as facts
//	          are, in the order they were declared
type state struct {
	issuedAt time.Time
	expires  time.Time // the token's own expiry: sized from its step, capped by the max age
	attempt  int       // 1-based attempt of the step the state was issued for
	requests int       // the tokens issued for the call, this one included
	fields   []field
	entry    []byte // the entry parameters' values, encoded; nil for none

	// paused says the call's recording is paused for the step the state
	// was issued for. It travels in the attempt byte's high bit
	// (statePaused).
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
// a plain one holds the value itself, which is safe only because plain
// steps are, by the service's own declaration, not secret; a reference
// holds referenceLen random bytes naming a value kept elsewhere.
type field struct {
	value     []byte
	facts     []byte // the step's revealed facts, encoded (see state)
	step      int32  // index of the step that gathered it; 32 bits keep a field at 56 bytes
	plain     bool
	reference bool
}

// Field flags.
const (
	fieldPlain     = 1 << 0
	fieldReference = 1 << 1
	fieldFacts     = 1 << 2
)

// referenceLen is the size of a reference field's value.
const referenceLen = 16

// stateCodec seals and opens states. Its cipher is derived from the master
// key, so the master key never seals anything but backend-facing fields.
type stateCodec struct {
	cipher      *aescrypt.Cipher
	fingerprint [16]byte // binds a state to one flow definition (definitionHash)
}

func newStateCodec(master *aescrypt.Cipher, steps []Step, entry ...string) stateCodec {
	var c stateCodec
	copy(c.fingerprint[:], definitionHash(steps, entry...))
	c.cipher = master.Derive("encgather flow state v1")
	return c
}

// definitionHash hashes what gives a state's fields their meaning and
// shapes a call: each step's name, field name, sensitivity, input, digit
// and transcript bounds, what follows it (Then, Targets), its interrupt
// key and the facts it reveals, in order. A state issued by a flow that
// differs in any of them fails to open, so a value gathered as plain can
// never be handed over as sealed, nor one value under another step's
// field name or length, nor a call led along an edge that no longer
// exists. The names of the entry parameters follow, when there are any.
func definitionHash(steps []Step, entry ...string) []byte {
	h := sha256.New()
	buf := []byte("encgather flow definition v2\x00")
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	for i := range steps {
		s := &steps[i]
		str(s.Name)
		str(s.field())
		var flags uint8
		if s.Plain {
			flags |= fieldPlain
		}
		if s.Next != nil {
			flags |= 1 << 1
		}
		if s.Normalize != nil {
			flags |= 1 << 2
		}
		buf = append(buf, flags, uint8(s.Input))
		buf = binary.AppendUvarint(buf, uint64(s.Digits.Min))
		buf = binary.AppendUvarint(buf, uint64(s.Digits.Max))
		str(string(s.Digits.finishKey()))
		buf = binary.AppendUvarint(buf, uint64(s.MaxSpeechLen))
		str(s.Then)
		str(string(s.InterruptKey))
		buf = binary.AppendUvarint(buf, uint64(len(s.Targets)))
		for _, t := range s.Targets {
			str(t)
		}
		buf = binary.AppendUvarint(buf, uint64(len(s.Reveals)))
		for _, r := range s.Reveals {
			str(r)
		}
		h.Write(buf)
		buf = buf[:0]
	}
	if len(entry) > 0 {
		buf = append(buf, "entry\x00"...)
		for _, name := range entry {
			str(name)
		}
		h.Write(buf)
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
		size += fieldHeaderLen + len(f.value) + binary.MaxVarintLen16 + len(f.facts)
	}
	size += binary.MaxVarintLen16 + len(st.entry)
	adSize := len(stateAAD) + len(c.fingerprint) + len(callSid) + 1 + len(step)
	bp := getScratch(2*size + adSize + aescrypt.NonceSize + aescrypt.Overhead)
	buf := append(*bp, stateVersion)
	buf = binary.BigEndian.AppendUint64(buf, uint64(st.issuedAt.Unix()))
	buf = binary.AppendUvarint(buf, uint64(max(0, st.expires.Unix()-st.issuedAt.Unix())))
	attempt := uint8(st.attempt)
	if st.paused {
		attempt |= statePaused
	}
	buf = append(buf, attempt)
	buf = binary.AppendUvarint(buf, uint64(st.requests))
	buf = append(buf, uint8(len(st.fields)))
	for _, f := range st.fields {
		var flags uint8
		if f.plain {
			flags |= fieldPlain
		}
		if f.reference {
			flags |= fieldReference
		}
		if f.facts != nil {
			flags |= fieldFacts
		}
		buf = append(buf, uint8(f.step), flags)
		buf = binary.AppendUvarint(buf, uint64(len(f.value)))
		buf = append(buf, f.value...)
		if f.facts != nil {
			buf = binary.AppendUvarint(buf, uint64(len(f.facts)))
			buf = append(buf, f.facts...)
		}
	}
	if len(st.entry) > 0 {
		buf = binary.AppendUvarint(buf, uint64(len(st.entry)))
		buf = append(buf, st.entry...)
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
// with bits set beyond its last byte. Package base64 refuses every byte
// outside the alphabet but CR and LF, which it skips: they are refused
// here, or one state would have more than one spelling.
func decodeToken(dst []byte, token string) (int, bool) {
	if strings.IndexByte(token, '\r') >= 0 || strings.IndexByte(token, '\n') >= 0 {
		return 0, false
	}
	var chunk [128]byte
	n := 0
	for len(token) > 0 {
		k := copy(chunk[:], token)
		m, err := tokenEncoding.Decode(dst[n:], chunk[:k])
		if err != nil {
			return 0, false
		}
		n += m
		token = token[k:]
	}
	return n, true
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
	var issued, life, requests uint64
	if !s.ReadUint8(&version) || version != stateVersion || !s.ReadUint64(&issued) ||
		!readUvarint(&s, &life, maxLife) || !s.ReadUint8(&attempt) ||
		!readUvarint(&s, &requests, maxRequestsLimit) || !s.ReadUint8(&count) {
		return nil, errState
	}
	o := new(openedState)
	st := &o.state
	issuedAt := time.Unix(int64(issued), 0)
	*st = state{
		issuedAt: issuedAt,
		expires:  issuedAt.Add(time.Duration(life) * time.Second),
		attempt:  int(attempt &^ statePaused),
		paused:   attempt&statePaused != 0,
		requests: int(requests),
		fields:   o.room[:0],
	}
	if int(count)+1 > len(o.room) {
		st.fields = make([]field, 0, int(count)+1)
	}
	for range int(count) {
		var stepIndex, flags uint8
		var n uint64
		if !s.ReadUint8(&stepIndex) || !s.ReadUint8(&flags) || !readUvarint(&s, &n, maxFieldLen) {
			return nil, errState
		}
		var value, facts []byte
		if !s.ReadBytes(&value, int(n)) || int(stepIndex) >= stepCount ||
			flags&^(fieldPlain|fieldReference|fieldFacts) != 0 || flags&fieldPlain != 0 && flags&fieldReference != 0 ||
			flags&fieldReference != 0 && len(value) != referenceLen {
			return nil, errState
		}
		if flags&fieldFacts != 0 {
			if !readUvarint(&s, &n, maxFieldLen) || !s.ReadBytes(&facts, int(n)) {
				return nil, errState
			}
			facts = facts[:len(facts):len(facts)]
		}
		st.fields = append(st.fields, field{step: int32(stepIndex), plain: flags&fieldPlain != 0,
			reference: flags&fieldReference != 0, value: value[:len(value):len(value)], facts: facts})
	}
	if !s.Empty() {
		var n uint64
		if !readUvarint(&s, &n, maxFieldLen) || n == 0 || !s.ReadBytes(&st.entry, int(n)) || !s.Empty() ||
			!validEntry(st.entry) {
			return nil, errState
		}
		st.entry = st.entry[:n:n]
	}
	return st, nil
}

// readUvarint reads a varint of at most limit, written in its shortest
// form, so that each state has one encoding.
func readUvarint(s *cryptobyte.String, out *uint64, limit uint64) bool {
	v, n := binary.Uvarint(*s)
	if n <= 0 || v > limit || n != uvarintLen(v) {
		return false
	}
	*out = v
	*s = (*s)[n:]
	return true
}

// uvarintLen is how many bytes binary.AppendUvarint writes for v.
func uvarintLen(v uint64) int {
	n := 1
	for ; v >= 0x80; v >>= 7 {
		n++
	}
	return n
}

// maxFieldLen is the most bytes one field's value may take in a state:
// what a token of maxTokenLen characters holds with nothing else in it
// (2,576 bytes). Its length takes two bytes as a varint.
const maxFieldLen = maxTokenLen*3/4 - stateHeaderLen - fieldHeaderLen - aescrypt.NonceSize - aescrypt.Overhead

// State layout sizes, at their largest (see state): a life up to maxLife
// takes 4 bytes as a varint, a count up to maxRequestsLimit and a length
// up to maxFieldLen 2.
const (
	stateHeaderLen = 1 + 8 + 4 + 1 + 2 + 1
	fieldHeaderLen = 1 + 1 + 2
)

// maxLife bounds a token's life as a state says it, in seconds: a year,
// far past any max age.
const maxLife = 366 * 24 * 3600

// checkSealedLen is the check at run time for a Sealer that does not keep
// to its size: a field longer than a state holds fails the request.
func checkSealedLen(step *Step, sealed []byte) error {
	if len(sealed) > maxFieldLen {
		return fmt.Errorf("flow: sealing step %q: a sealed value of %d bytes, over the %d a state holds", step.Name, len(sealed), maxFieldLen)
	}
	return nil
}

// validEntry reports whether entry holds entry values as readEntry writes
// them: each a 1-byte length of at most MaxEntryLen and its bytes.
func validEntry(entry []byte) bool {
	for len(entry) > 0 {
		n := int(entry[0])
		if n > MaxEntryLen || 1+n > len(entry) {
			return false
		}
		entry = entry[1+n:]
	}
	return true
}
