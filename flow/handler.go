package flow

import (
	"errors"
	"net/http"
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
		f.logRequest(r.Context(), start, refused("", outcomeBadMethod, nil, nil), recordingResult{}, nil)
		return
	}
	signedURL, fm, err := f.validator.check(r)
	if err != nil {
		fm.release()
		d := refused("", outcomeBadSignature, err, nil)
		if errors.Is(err, errBody) {
			d.outcome = outcomeBadRequest
			http.Error(w, "bad request", http.StatusBadRequest)
		} else {
			http.Error(w, "forbidden", http.StatusForbidden)
		}
		f.logRequest(r.Context(), start, d, recordingResult{}, nil)
		return
	}
	wh := f.readWebhook(r.Context(), fm, signedURL)
	fm.release()
	d := f.decideSafely(&wh)
	rec := f.recordingRule(&wh, &d)
	verbs := d.verbs
	if rec.failedClosed {
		verbs = f.cfg.apology
	}
	// A single-use store plugs in here: it saves the answer for the state
	// it consumed, so that an identical retry gets the identical answer.
	werr := f.respond(w, verbs)
	f.logRequest(r.Context(), start, d, rec, werr)
}

// respond writes verbs as a TwiML document. Every answer a flow gives a
// signed request is 200 with TwiML: Twilio reads anything else as "an
// application error has occurred", which a caller should never hear.
func (f *Flow) respond(w http.ResponseWriter, verbs []twiml.Verb) error {
	w.Header()["Cache-Control"] = noStore
	return twiml.WriteHTTP(w, &twiml.Response{Verbs: verbs})
}

// noStore is every answer's Cache-Control, one slice for all: its capacity
// is its length, so Header.Add copies it, and Set replaces it.
var noStore = []string{"no-store"}
