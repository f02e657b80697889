package flow

import (
	"crypto/subtle"
	"encoding/binary"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// A saved answer is what the store keeps for a claimed token, sealed with
// the state key and bound to the TokenID:
//
//	version (1) | saved at, Unix nanoseconds (8) | requestHash (32) | the TwiML answer
//
// The answer holds no plaintext digits (no TwiML the flow writes does), and
// the store sees only the sealed form, so it cannot read a backend's answer
// either.

// answerVersion is the first byte of a saved answer's plaintext. Version 2
// holds the hash of the request's signature, where version 1 held a keyed
// hash of its contents; a version 1 answer no longer opens.
const answerVersion = 2

// answerAAD is the fixed prefix of a saved answer's additional data, so it
// can never be mistaken for a state token or a sealed field.
const answerAAD = "encgather flow saved answer v1\x00"

// answerHeader is the size of the plaintext before the TwiML.
const answerHeader = 1 + 8 + len(requestHash{})

// sealAnswer seals answer, for the request that claimed id, saved at now.
func (u *singleUse) sealAnswer(id TokenID, req requestHash, now time.Time, answer []byte) []byte {
	// The plaintext and the additional data in pooled scratch; the
	// sealed record, which the store may keep, in its own buffer.
	n := answerHeader + len(answer)
	bp := getScratch(n + len(answerAAD) + len(id))
	plain := append(*bp, answerVersion)
	plain = binary.BigEndian.AppendUint64(plain, uint64(now.UnixNano()))
	plain = append(plain, req[:]...)
	plain = append(plain, answer...)
	ad := append(append(plain[len(plain):], answerAAD...), id[:]...)
	record := u.answers.SealBytes(make([]byte, 0, aescrypt.NonceSize+n+aescrypt.Overhead), plain, ad)
	putScratch(bp, plain)
	return record
}

// maxSavedAnswer is the longest TwiML answer that can be saved for a retry.
const maxSavedAnswer = aescrypt.MaxPlaintextSize - answerHeader

// openAnswer opens a saved answer for id and returns its TwiML if req is
// the request that saved it and now is within the retry window of it.
// Anything else is a replay.
func (u *singleUse) openAnswer(record []byte, id TokenID, req requestHash, now time.Time) ([]byte, error) {
	ad := make([]byte, 0, len(answerAAD)+len(id))
	ad = append(append(ad, answerAAD...), id[:]...)
	plain, err := u.answers.OpenBytes(record, ad)
	if err != nil || len(plain) < answerHeader || plain[0] != answerVersion {
		return nil, errSavedReply
	}
	saved := time.Unix(0, int64(binary.BigEndian.Uint64(plain[1:9])))
	if subtle.ConstantTimeCompare(plain[9:answerHeader], req[:]) != 1 {
		return nil, errReplayed
	}
	if age := now.Sub(saved); age > u.window || age < -clockSkew {
		return nil, errRetryLate
	}
	return plain[answerHeader:], nil
}
