package flow

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"slices"
	"strings"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/twiliosig"
)

// A saved answer is what the store keeps for a claimed token, sealed with
// the state key and bound to the TokenID:
//
//	version (1) | flags (1) | saved at, Unix nanoseconds (8) | requestHash (32) | the TwiML answer
//
// The answer holds no plaintext digits (no TwiML the flow writes does), and
// the store sees only the sealed form, so it cannot read a backend's answer
// either.

// answerVersion is the first byte of a saved answer's plaintext. Version 3
// adds the flags byte; version 2 held the hash of the request's signature,
// where version 1 held a keyed hash of its contents. An older answer no
// longer opens (it is a retry's, kept seconds). The version is apart from
// answerAAD's "v1", which names the domain of the additional data and has
// not changed.
const answerVersion = 3

// answerFinished is the flag of an answer that Finish gave.
const answerFinished = 1 << 0

// answerAAD is the fixed prefix of a saved answer's additional data, so it
// can never be mistaken for a state token or a sealed field.
const answerAAD = "encgather flow saved answer v1\x00"

// answerHeader is the size of the plaintext before the TwiML.
const answerHeader = 1 + 1 + 8 + len(requestHash{})

// maxSavedAnswer is the longest TwiML answer that can be saved for a retry.
const maxSavedAnswer = aescrypt.MaxPlaintextSize - answerHeader

// sealAnswer seals answer, for the request that claimed id, saved at now;
// finished says Finish gave it.
func (u *singleUse) sealAnswer(id TokenID, req requestHash, now time.Time, finished bool, answer []byte) []byte {
	// The plaintext and the additional data in pooled scratch; the
	// sealed record, which the store may keep, in its own buffer.
	n := answerHeader + len(answer)
	bp := getScratch(n + len(answerAAD) + len(id))
	var flags byte
	if finished {
		flags |= answerFinished
	}
	plain := append(*bp, answerVersion, flags)
	plain = binary.BigEndian.AppendUint64(plain, uint64(now.UnixNano()))
	plain = append(plain, req[:]...)
	plain = append(plain, answer...)
	ad := append(append(plain[len(plain):], answerAAD...), id[:]...)
	record := u.answers.SealBytes(make([]byte, 0, aescrypt.NonceSize+n+aescrypt.Overhead), plain, ad)
	putScratch(bp, plain)
	return record
}

// openAnswer opens a saved answer for id and returns its TwiML, and
// whether Finish gave it, if req is the request that saved it and now is
// within the retry window of it. Anything else is a replay.
func (u *singleUse) openAnswer(record []byte, id TokenID, req requestHash, now time.Time) ([]byte, bool, error) {
	ad := make([]byte, 0, len(answerAAD)+len(id))
	ad = append(append(ad, answerAAD...), id[:]...)
	plain, err := u.answers.OpenBytes(record, ad)
	if err != nil || len(plain) < answerHeader || plain[0] != answerVersion {
		return nil, false, errSavedReply
	}
	finished := plain[1]&answerFinished != 0
	saved := time.Unix(0, int64(binary.BigEndian.Uint64(plain[2:10])))
	if subtle.ConstantTimeCompare(plain[10:answerHeader], req[:]) != 1 {
		return nil, false, errReplayed
	}
	if age := now.Sub(saved); age > u.window || age < -clockSkew {
		return nil, false, errRetryLate
	}
	return plain[answerHeader:], finished, nil
}

// requestHash identifies what a request asked, so that a retry is told
// from a replay. It is kept only inside the sealed saved answer, so a
// store reader never sees it, and it needs no key of its own.
type requestHash [sha256.Size]byte

// Domain separation between the two ways a requestHash is made.
const (
	hashSigned   = "encgather flow signed request\x00"
	hashUnsigned = "encgather flow unsigned request\x00"
)

// hashRequest returns wh's requestHash. A checked signature already is a
// MAC over everything Twilio signed (the URL and every parameter), so a
// signed request is named by it: a Twilio retry carries the same one. With
// checks off there is none, and the request's contents are hashed instead.
func hashRequest(wh *webhook) requestHash {
	if wh.signed.signature != "" {
		var buf [128]byte
		return sha256.Sum256(append(append(buf[:0], hashSigned...), wh.signed.signature...))
	}
	return hashContents(wh.signed.url, wh.params)
}

// hashContents hashes a URL and a body's parameters, every name and value
// length-prefixed and the pairs sorted, as Twilio's signature covers them:
// two requests hash the same exactly when they carry the same parameters.
// It serves only flows whose signature checks are off, so it allocates
// freely.
func hashContents(url string, params []twiliosig.Param) requestHash {
	sorted := slices.Clone(params)
	slices.SortFunc(sorted, func(a, b twiliosig.Param) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	buf := appendPrefixed([]byte(hashUnsigned), url)
	buf = binary.AppendUvarint(buf, uint64(len(sorted)))
	for _, p := range sorted {
		buf = appendPrefixed(buf, p.Name)
		buf = appendPrefixed(buf, p.Value)
	}
	rh := requestHash(sha256.Sum256(buf))
	clear(buf) // it held the digits
	return rh
}

func appendPrefixed(dst []byte, s string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(s))), s...)
}
