package twiliosig

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/url"
	"slices"
)

// Sign returns the X-Twilio-Signature for a request to fullURL with the
// given POST form (nil for a GET, whose parameters are in fullURL).
func Sign(authToken, fullURL string, form url.Values) string {
	st := newSizedMACState([]byte(authToken), fullURL, form)
	st.setForm(form)
	return base64.StdEncoding.EncodeToString(st.sum(append(st.buf[:0], fullURL...)))
}

// macState is an HMAC and the buffers one check needs, kept together so a
// Checker can reuse them all.
type macState struct {
	mac    hash.Hash
	buf    []byte   // the URL being checked, then the parameters
	params []byte   // the parameters' part of the signed string
	keys   []string // the form's names, sorted
	out    [sha1.Size]byte
}

func newMACState(key []byte) *macState {
	return &macState{mac: hmac.New(sha1.New, key)}
}

// newSizedMACState returns a macState whose buffers are allocated once, at
// the size one request to fullURL with form needs.
func newSizedMACState(key []byte, fullURL string, form url.Values) *macState {
	n := 0
	for k, values := range form {
		n += len(values) * len(k)
		for _, v := range values {
			n += len(v)
		}
	}
	st := newMACState(key)
	st.keys = make([]string, 0, len(form))
	st.params = make([]byte, 0, n)
	st.buf = make([]byte, 0, len(fullURL)+len(":443")+n)
	return st
}

// setForm writes form's part of the signed string into st.params: each
// name followed by its value, sorted by name, a repeated name once for each
// distinct value, the values sorted. Twilio signs repeated names so:
// twilio-python, twilio-node and twilio-php were changed to sort and then
// to deduplicate after requests Twilio sent (twilio-python issue 613).
func (st *macState) setForm(form url.Values) {
	keys := st.keys[:0]
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	st.keys = keys
	params := st.params[:0]
	for _, k := range keys {
		values := form[k]
		if len(values) > 1 && !slices.IsSorted(values) {
			values = slices.Sorted(slices.Values(values)) // the caller's slice stays as it is
		}
		for i, v := range values {
			if i > 0 && v == values[i-1] {
				continue
			}
			params = append(params, k...)
			params = append(params, v...)
		}
	}
	st.params = params
}

// sum appends the parameters to signedURL (which lives in st.buf's
// storage), MACs the whole in one Write, and returns the MAC, which stays
// valid until the next call.
func (st *macState) sum(signedURL []byte) []byte {
	st.buf = append(signedURL, st.params...)
	st.mac.Reset()
	st.mac.Write(st.buf)
	return st.mac.Sum(st.out[:0])
}
