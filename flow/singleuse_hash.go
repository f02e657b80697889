package flow

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strings"
	"sync"

	"github.com/encgather/encgather/internal/twiliosig"
)

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

// unsignedScratch holds the encoding hashContents hashes.
var unsignedScratch = sync.Pool{New: func() any { return new(contentsBuffer) }}

type contentsBuffer struct {
	buf   []byte
	order []int // a request's parameters in sorted order
}

// hashContents hashes a URL and a body's parameters, every name and value
// length-prefixed and the pairs sorted, as Twilio's signature covers them:
// two requests hash the same exactly when they carry the same parameters.
func hashContents(url string, params []twiliosig.Param) requestHash {
	c := unsignedScratch.Get().(*contentsBuffer)
	c.buf = appendPrefixed(append(c.buf[:0], hashUnsigned...), url)
	// Sorting indexes rather than the parameters moves no pointers, so
	// it costs no write barriers while the collector runs.
	c.order = c.order[:0]
	for i := range params {
		c.order = append(c.order, i)
	}
	slices.SortFunc(c.order, func(i, j int) int {
		a, b := &params[i], &params[j]
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	c.buf = binary.AppendUvarint(c.buf, uint64(len(params)))
	for _, i := range c.order {
		c.buf = appendPrefixed(c.buf, params[i].Name)
		c.buf = appendPrefixed(c.buf, params[i].Value)
	}
	rh := requestHash(sha256.Sum256(c.buf))
	clear(c.buf) // it held the digits
	unsignedScratch.Put(c)
	return rh
}

func appendPrefixed(dst []byte, s string) []byte {
	return append(binary.AppendUvarint(dst, uint64(len(s))), s...)
}
