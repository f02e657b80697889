package flow

import (
	"encoding/hex"
	"net/http"
	"sync"

	"github.com/encgather/encgather/twiml"
)

// bufPool holds render buffers: a step's TwiML is about 1 KiB, so reusing
// them saves an allocation and its zeroing on every request.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// write renders verbs as a TwiML document. Every answer a flow gives a
// signed request is 200 with TwiML: Twilio reads anything else as "an
// application error has occurred", which a caller should never hear.
func (f *Flow) write(w http.ResponseWriter, verbs []twiml.Verb, ev *event) {
	bp := bufPool.Get().(*[]byte)
	resp := twiml.Response{Verbs: verbs}
	buf := resp.AppendXML((*bp)[:0])
	h := w.Header()
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if _, err := w.Write(buf); err != nil && ev.err == nil {
		ev.err = err
	}
	if cap(buf) <= 64<<10 {
		*bp = buf[:0]
		bufPool.Put(bp)
	}
}

func hexEncode(b []byte) string { return hex.EncodeToString(b) }
