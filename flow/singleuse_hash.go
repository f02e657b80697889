package flow

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
	"strings"
	"sync"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/twiliosig"
)

// requestHash identifies what a request asked: a keyed hash of the URL
// Twilio signed and its form, so that a retry is told from a replay without
// keeping the digits, even sealed.
type requestHash [sha256.Size]byte

// Domain separation between the two things keyedHashes computes.
const (
	hashTokenID = "encgather flow token id\x00"
	hashRequest = "encgather flow request\x00"
)

// keyedHashes computes TokenIDs and requestHashes with HMAC-SHA256 under
// one key derived from the state key. Its hashers are pooled, so neither
// allocates once warm.
type keyedHashes struct {
	pool *sync.Pool // of *keyedHasher
}

// keyedHasher is one HMAC with scratch space for its input.
type keyedHasher struct {
	mac    hash.Hash
	buf    []byte
	params []twiliosig.Param // scratch for sorting a request's parameters
}

func newKeyedHashes(key aescrypt.Key) keyedHashes {
	raw, err := hex.DecodeString(key.ExportHex())
	if err != nil {
		panic("flow: " + err.Error()) // unreachable: ExportHex writes hex
	}
	return keyedHashes{pool: &sync.Pool{New: func() any {
		return &keyedHasher{mac: hmac.New(sha256.New, raw), buf: make([]byte, 0, 1024)}
	}}}
}

// tokenID is the store's name for a state token.
func (k keyedHashes) tokenID(token string) TokenID {
	h := k.pool.Get().(*keyedHasher)
	h.buf = append(append(h.buf[:0], hashTokenID...), token...)
	var id TokenID
	h.sum(id[:])
	k.pool.Put(h)
	return id
}

// request hashes the signed URL and the signed body's parameters, every
// name and value length-prefixed and the pairs sorted, as Twilio's
// signature covers them: two requests hash the same exactly when they carry
// the same parameters.
func (k keyedHashes) request(signedURL string, params []twiliosig.Param) requestHash {
	h := k.pool.Get().(*keyedHasher)
	h.buf = append(h.buf[:0], hashRequest...)
	h.buf = appendPrefixed(h.buf, signedURL)
	h.params = append(h.params[:0], params...)
	slices.SortFunc(h.params, func(a, b twiliosig.Param) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	h.buf = binary.AppendUvarint(h.buf, uint64(len(h.params)))
	for _, p := range h.params {
		h.buf = appendPrefixed(h.buf, p.Name)
		h.buf = appendPrefixed(h.buf, p.Value)
	}
	var rh requestHash
	h.sum(rh[:])
	clear(h.buf) // it held the digits
	clear(h.params)
	k.pool.Put(h)
	return rh
}

// sum writes the HMAC of h.buf to dst.
func (h *keyedHasher) sum(dst []byte) {
	h.mac.Reset()
	h.mac.Write(h.buf)
	h.mac.Sum(dst[:0])
}

func appendPrefixed(dst []byte, s string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(s))), s...)
}
