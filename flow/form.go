package flow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/encgather/encgather/internal/twiliosig"
)

// maxParams bounds the parameters of one request, body and query
// together. Twilio sends about 20 with a voice webhook; a request with
// thousands would cost milliseconds to parse and check before its
// signature could refuse it, so it is refused as malformed first.
const maxParams = 100

// errBody is reported for a request that is too large or not a
// well-formed form; every error readForm returns wraps it.
var errBody = errors.New("flow: malformed or oversized request")

var (
	errTooLarge      = fmt.Errorf("%w: body over the size limit", errBody)
	errTooMany       = fmt.Errorf("%w: more than %d parameters", errBody, maxParams)
	errEscape        = fmt.Errorf("%w: malformed %%-escape", errBody)
	errSemicolon     = fmt.Errorf("%w: semicolon separator", errBody)
	errNoBody        = fmt.Errorf("%w: missing body", errBody)
	errUnreadable    = fmt.Errorf("%w: body cannot be read", errBody)
	errTooLargeQuery = fmt.Errorf("%w: query over the size limit", errBody)
)

// form is a request's parameters, read once: the body (when it is a form)
// and the query are copied into one pooled buffer, unescaped in place, and
// turned into one string of which every name and value is a part. That is
// one allocation for what url.Values takes two per parameter for.
type form struct {
	buf    []byte
	spans  []span
	params []twiliosig.Param // the body's, then the query's
	nBody  int               // params[:nBody] are the body's
}

// span places one unescaped pair in buf: the name is buf[name:value], the
// value buf[value:end].
type span struct{ name, value, end int }

// maxPooledForm is the largest buffer a pooled form keeps.
const maxPooledForm = 16 << 10

var formPool = sync.Pool{New: func() any { return new(form) }}

// readForm reads r's parameters: those of a form body (POST, PUT, PATCH
// with Content-Type application/x-www-form-urlencoded, as ParseForm reads
// them) bounded by maxBytes, and those of the query. A form parsed before
// (r.PostForm set) is taken as it is. The caller releases the form.
func readForm(r *http.Request, maxBytes int64) (*form, error) {
	fm := formPool.Get().(*form)
	if err := fm.read(r, maxBytes); err != nil {
		fm.release()
		return nil, err
	}
	return fm, nil
}

// release returns fm to the pool, its buffer cleared: it held what the
// caller typed. A nil form is ignored.
func (fm *form) release() {
	if fm == nil {
		return
	}
	clear(fm.buf)
	clear(fm.params)
	if cap(fm.buf) > maxPooledForm || cap(fm.params) > 2*maxParams {
		return
	}
	fm.buf, fm.spans, fm.params, fm.nBody = fm.buf[:0], fm.spans[:0], fm.params[:0], 0
	formPool.Put(fm)
}

// body returns the body's parameters, which is what Twilio signs.
func (fm *form) body() []twiliosig.Param { return fm.params[:fm.nBody] }

// query returns the query's parameters.
func (fm *form) query() []twiliosig.Param { return fm.params[fm.nBody:] }

// read is readForm on a pooled form.
func (fm *form) read(r *http.Request, maxBytes int64) error {
	if r.PostForm != nil {
		fm.fromValues(r)
		return nil
	}
	fm.buf = fm.buf[:0]
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if r.Body == nil {
			return errNoBody
		}
		if isForm(r) {
			if err := fm.readBody(r, maxBytes); err != nil {
				return err
			}
		}
	}
	nb := len(fm.buf)
	if int64(len(r.URL.RawQuery)) > maxBytes {
		return errTooLargeQuery
	}
	fm.buf = append(fm.buf, r.URL.RawQuery...)
	fm.spans = fm.spans[:0]
	w, err := fm.parse(0, 0, nb)
	if err != nil {
		return err
	}
	nBody := len(fm.spans)
	if w, err = fm.parse(w, nb, len(fm.buf)); err != nil {
		return err
	}
	text := string(fm.buf[:w]) // fm.buf keeps its length, so release clears all it read
	for _, s := range fm.spans {
		fm.params = append(fm.params, twiliosig.Param{Name: text[s.name:s.value], Value: text[s.value:s.end]})
	}
	fm.nBody = nBody
	return nil
}

// readBody appends r's body to fm.buf, refusing one over maxBytes before
// reading it when its length is declared.
func (fm *form) readBody(r *http.Request, maxBytes int64) error {
	if r.ContentLength > maxBytes {
		return errTooLarge
	}
	if r.ContentLength > 0 && int64(cap(fm.buf)) < r.ContentLength+1 {
		fm.buf = make([]byte, 0, r.ContentLength+1+int64(len(r.URL.RawQuery)))
	}
	buf := fm.buf
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > maxBytes {
			fm.buf = buf
			return errTooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fm.buf = buf
			return errUnreadable
		}
	}
	fm.buf = buf
	return nil
}

// parse splits fm.buf[start:end] into pairs as url.ParseQuery does ('&'
// between pairs, the first '=' between name and value, empty pieces
// skipped), unescapes each into fm.buf from w on, and records its span.
// Unlike ParseQuery it stops at the first malformed piece, and after
// maxParams pairs in all. w never passes the byte being read, so
// unescaping in place is safe.
func (fm *form) parse(w, start, end int) (int, error) {
	for start < end {
		piece := end
		if i := bytes.IndexByte(fm.buf[start:end], '&'); i >= 0 {
			piece = start + i
		}
		if piece > start {
			if len(fm.spans) == maxParams {
				return w, errTooMany
			}
			s, err := unescapePair(fm.buf, w, start, piece)
			if err != nil {
				return w, err
			}
			fm.spans = append(fm.spans, s)
			w = s.end
		}
		start = piece + 1
	}
	return w, nil
}

// special marks the bytes unescapePair looks at; the rest it copies.
var special = [256]bool{'=': true, ';': true, '+': true, '%': true}

// unescapePair decodes the pair b[r:end] ("name=value", the value
// optional) into b from w on, w <= r: '+' is a space and %XX a byte. Like
// url.ParseQuery it refuses a ';' and a '%' not followed by two hex
// digits. Neither '=' nor '&' is a hex digit, so an escape never reaches
// past its name or value.
func unescapePair(b []byte, w, r, end int) (span, error) {
	s := span{name: w, value: -1}
	for ; r < end; r++ {
		c := b[r]
		if special[c] {
			switch c {
			case '=':
				if s.value < 0 {
					s.value = w
					continue
				}
			case ';':
				return s, errSemicolon
			case '+':
				c = ' '
			case '%':
				if r+2 >= end || !isHex(b[r+1]) || !isHex(b[r+2]) {
					return s, errEscape
				}
				c = unhex(b[r+1])<<4 | unhex(b[r+2])
				r += 2
			}
		}
		b[w] = c
		w++
	}
	if s.value < 0 {
		s.value = w
	}
	s.end = w
	return s, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// fromValues takes the parameters of a form ParseForm read before: r.Form
// holds each name's body values, then its query values.
func (fm *form) fromValues(r *http.Request) {
	for name, values := range r.PostForm {
		for _, v := range values {
			fm.params = append(fm.params, twiliosig.Param{Name: name, Value: v})
		}
	}
	fm.nBody = len(fm.params)
	for name, values := range r.Form {
		for _, v := range values[min(len(r.PostForm[name]), len(values)):] {
			fm.params = append(fm.params, twiliosig.Param{Name: name, Value: v})
		}
	}
}

// setRequestForm leaves fm in r.PostForm and r.Form as ParseForm would,
// unless a form was parsed before.
func (fm *form) setRequestForm(r *http.Request) {
	if r.PostForm != nil {
		return
	}
	r.PostForm, r.Form = make(url.Values), make(url.Values)
	for _, p := range fm.body() {
		r.PostForm[p.Name] = append(r.PostForm[p.Name], p.Value)
		r.Form[p.Name] = append(r.Form[p.Name], p.Value)
	}
	for _, p := range fm.query() {
		r.Form[p.Name] = append(r.Form[p.Name], p.Value)
	}
}

// parseForm parses r's form with net/http, the body bounded, once: for a
// form body signed through bodySHA256 (checkBody), which readForm then
// takes from r.PostForm.
func parseForm(r *http.Request, maxBytes int64) error {
	if r.PostForm != nil {
		return nil
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBytes)
	}
	if err := r.ParseForm(); err != nil {
		return errBody
	}
	return nil
}

// redacted replaces sensitive values in the output of Scrub.
const redacted = "[redacted]"

// scrubbed are the parameters that may hold what a caller typed or said,
// or a state token.
var scrubbed = []string{"Digits", "SpeechResult", "UnstableSpeechResult", "StableSpeechResult", stateParam}

// Scrub returns a copy of v with every value that may hold a caller's input
// (Digits, SpeechResult, StableSpeechResult, UnstableSpeechResult) or a
// flow's state replaced by "[redacted]", for a service's own request logs.
func Scrub(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	for _, k := range scrubbed {
		if vals, ok := out[k]; ok {
			for i := range vals {
				vals[i] = redacted
			}
		}
	}
	return out
}

// errUnsignedBody is the cause of refusing a body that no signature covers:
// one that is neither a POST form nor hashed into the signed URL.
var errUnsignedBody = errors.New("flow: a body that is not a POST form is signed only through " + twiliosig.BodyHashParam)

// checkBody checks a request whose signed URL carries bodySHA256, as Twilio
// signs a body that is not a form (JSON): the signature covers the URL
// alone, and the raw body, read within the size limit, must hash to the
// value in the URL. The body is then put back, so the handler reads it
// whole, and a form body is also parsed into r.PostForm.
func (v *Validator) checkBody(r *http.Request, signed signedRequest) error {
	body, err := readBody(r, v.cfg.maxBodyBytes)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	if signed.signature == "" {
		return errNoSignature
	}
	ok := false
	for _, c := range v.checkers {
		ok = c.ValidBody(signed.url, body, signed.signature) || ok
	}
	if !ok {
		return v.mismatch(signed.url, " (or the body's "+twiliosig.BodyHashParam+")")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := parseForm(r, v.cfg.maxBodyBytes); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// readBody reads r's whole body, refusing one over maxBytes.
func readBody(r *http.Request, maxBytes int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBytes))
	if err != nil {
		return nil, errBody
	}
	return body, nil
}

// checkFormBody refuses a request whose body the form signature does not
// cover: any body but a POST's application/x-www-form-urlencoded one.
// Twilio signs a form's parameters, and any other body only through
// bodySHA256 (checkBody).
func checkFormBody(r *http.Request) error {
	if r.Method == http.MethodPost && isForm(r) || !hasBody(r) {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrSignature, errUnsignedBody)
}

// isForm reports whether r's media type is a URL-encoded form. Its
// parameters, if any, are left to r.ParseForm, which refuses bad ones.
func isForm(r *http.Request) bool {
	mediaType, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(mediaType), "application/x-www-form-urlencoded")
}

// hasBody reports whether r has a body of at least one byte. A body of
// unknown length is read one byte into; it is refused anyway if it has
// one.
func hasBody(r *http.Request) bool {
	switch {
	case r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0:
		return false
	case r.ContentLength > 0:
		return true
	}
	var b [1]byte
	n, _ := io.ReadFull(r.Body, b[:])
	return n > 0
}
