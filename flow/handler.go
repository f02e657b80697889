package flow

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/encgather/encgather/twiml"
)

// ServeHTTP answers one Twilio webhook request. The request's data flows
// one way: the signature check (which yields the URL Twilio signed), the
// webhook's fields, the engine's decision, the recording rule, the
// response, and last the log line, which reads what the others did.
func (f *Flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		f.logRequest(r.Context(), start, refused("", outcomeBadMethod, nil, nil), recordingResult{}, nil, nil)
		return
	}
	signedURL, err := f.validator.check(r)
	if err != nil {
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
	wh := f.readWebhook(r, signedURL)
	d := f.decideSafely(&wh)
	rec := f.recordingRule(&wh, &d)
	verbs := d.verbs
	if rec.failedClosed {
		verbs = f.cfg.apology
	}
	answer := d.use.answer // a retry's saved answer
	if answer == nil {
		answer = render(verbs)
	}
	serr := f.saveAnswer(r.Context(), &d, answer)
	werr := writeAnswer(w, answer)
	f.logRequest(r.Context(), start, d, rec, serr, werr)
}

// render renders verbs as a TwiML document.
func render(verbs []twiml.Verb) []byte {
	return (&twiml.Response{Verbs: verbs}).AppendXML(make([]byte, 0, 1024))
}

// writeAnswer writes a rendered TwiML document. Every answer a flow gives a
// signed request is 200 with TwiML: Twilio reads anything else as "an
// application error has occurred", which a caller should never hear.
func writeAnswer(w http.ResponseWriter, answer []byte) error {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(answer)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(answer)
	return err
}
