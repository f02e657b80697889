package flow

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/encgather/encgather/twiml"
)

// ServeHTTP answers one Twilio webhook request. The request's data flows
// one way: the signature check (which yields the URL Twilio signed), the
// webhook's fields, the engine's decision, the recording rule, the
// response, and last the log line, which reads what the others did.
func (f *Flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.unusable() {
		serveUnusable(w, r)
		return
	}
	start := time.Now()
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		f.logRequest(r.Context(), start, refused("", outcomeBadMethod, nil, nil), recordingResult{}, nil, nil)
		return
	}
	signed, fm, err := f.validator.check(r)
	if err != nil {
		fm.release()
		d := refused("", outcomeBadSignature, err, nil)
		if errors.Is(err, errBody) {
			d.outcome = outcomeBadRequest
			http.Error(w, "bad request", http.StatusBadRequest)
		} else {
			http.Error(w, "forbidden", http.StatusForbidden)
		}
		f.logRequest(r.Context(), start, d, recordingResult{}, nil, nil)
		return
	}
	wh := f.readWebhook(r.Context(), fm, signed, start)
	d := f.decideSafely(&wh)
	fm.release()
	rec := f.recordingRule(&wh, &d)
	verbs := d.verbs
	if rec.failedClosed {
		verbs = f.cfg.apology
	}
	answer := d.use.answer // a retry's saved answer
	if answer == nil {
		buf := renderBuffers.Get().(*[]byte)
		defer putRenderBuffer(buf)
		answer = (&twiml.Response{Verbs: verbs}).AppendXML((*buf)[:0])
		*buf = answer
	}
	serr := f.saveAnswer(r.Context(), &d, answer)
	werr := writeAnswer(w, answer)
	f.logRequest(r.Context(), start, d, rec, serr, werr)
}

// renderBuffers holds buffers that answers are rendered into. Nothing
// keeps an answer once it is written (what is saved is a sealed copy), so
// its buffer is then reused.
var renderBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// putRenderBuffer returns a buffer to renderBuffers unless it grew past
// what answers usually need.
func putRenderBuffer(b *[]byte) {
	if cap(*b) <= 16<<10 {
		*b = (*b)[:0]
		renderBuffers.Put(b)
	}
}

// writeAnswer writes a rendered TwiML document. Every answer a flow gives a
// signed request is 200 with TwiML: Twilio reads anything else as "an
// application error has occurred", which a caller should never hear.
func writeAnswer(w http.ResponseWriter, answer []byte) error {
	h := w.Header()
	h["Cache-Control"] = noStore
	h["Content-Type"] = textXML
	h.Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(answer)
	return err
}

// noStore is every answer's Cache-Control, one slice for all: its capacity
// is its length, so Header.Add copies it, and Set replaces it.
var noStore = []string{"no-store"}

// textXML is every answer's Content-Type, shared as noStore is.
var textXML = []string{"text/xml; charset=utf-8"}
