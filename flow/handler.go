package flow

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/encgather/encgather/twiml"
)

// ServeHTTP answers one Twilio webhook request: it decides, renders the
// decision's answer, settles the token's claim (with the answer saved, for
// a request that changed nothing outside itself), writes the answer, saves
// it for a retry if it is not saved yet, and logs it. Only deciding and
// settling change anything; the rest read the decision.
func (f *Flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.unusable() {
		serveUnusable(w, r)
		return
	}
	start := time.Now()
	signed, fm, refusal := f.admit(r)
	if refusal != nil {
		fm.release()
		writeRefusal(w, refusal.status)
		f.logRequest(r.Context(), start, refusal, acts{})
		return
	}
	defer fm.release()
	wh := f.readWebhook(r.Context(), fm, signed, start)
	f.serveSigned(w, &wh, start)
}

// admit checks a request's method and signature. It returns what the
// signature vouches for and the request's form (which the caller
// releases), or the decision refusing the request.
func (f *Flow) admit(r *http.Request) (signedRequest, *form, *decision) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		d := refused("", OutcomeBadMethod, nil, nil)
		d.status = http.StatusMethodNotAllowed
		return signedRequest{}, nil, &d
	}
	signed, fm, err := f.validator.check(r)
	if err != nil {
		d := refused("", OutcomeBadSignature, err, nil)
		d.status, d.unverifiedCallSid = http.StatusForbidden, unverifiedCallSid(fm)
		if errors.Is(err, errBody) {
			d.outcome, d.status = OutcomeBadRequest, http.StatusBadRequest
		}
		return signedRequest{}, fm, &d
	}
	return signed, fm, nil
}

// unverifiedCallSid returns the CallSid a refused request's form claims,
// if it has a CallSid's shape: for the operator finding which call a
// misconfiguration refused, never for trusting.
func unverifiedCallSid(fm *form) string {
	if fm == nil {
		return ""
	}
	for _, p := range fm.params {
		if p.Name == "CallSid" && validCallSid(p.Value) {
			return strings.Clone(p.Value)
		}
	}
	return ""
}

// serveSigned answers a request whose signature checked. One recover
// covers all of it: the engine and the service's code it runs, saving,
// writing and logging, the observer included.
func (f *Flow) serveSigned(w http.ResponseWriter, wh *webhook, start time.Time) {
	written := false
	defer func() {
		if p := recover(); p != nil {
			d := f.panicked(wh, p)
			if !written {
				answer, _ := f.render(&d)
				_ = writeAnswer(w, answer) // the apology; a failure has nowhere to go
			}
			f.logRecovered(wh.ctx, start, &d)
		}
	}()
	d := f.decide(wh)
	answer, buf := f.render(&d)
	if !f.settle(wh, &d, answer) { // answered before: its own answer instead
		putRenderBuffer(buf)
		answer, buf = f.render(&d)
	}
	written = true
	writeErr := writeAnswer(w, answer)
	if f.saves(&d) {
		// Out to Twilio before the save's round trip: net/http would
		// hold the answer until the handler returns.
		if err := http.NewResponseController(w).Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
			writeErr = errors.Join(writeErr, err)
		}
	}
	saveErr := f.saveAnswer(wh.ctx, &d, answer)
	putRenderBuffer(buf)
	f.logRequest(wh.ctx, start, &d, acts{saveErr: saveErr, writeErr: writeErr})
}

// render returns d's answer: a retry's saved bytes, sent again byte for
// byte, or d's verbs rendered into a pooled buffer, also returned so that
// the caller puts it back once the answer is written.
func (f *Flow) render(d *decision) ([]byte, *[]byte) {
	if d.use.answer != nil {
		return d.use.answer, nil
	}
	buf := getRenderBuffer()
	*buf = (&twiml.Response{Verbs: d.verbs}).AppendXML((*buf)[:0])
	return *buf, buf
}

// logRecovered logs a panic's decision. Should the observer panic again
// (it may be what panicked), the line is written without it.
func (f *Flow) logRecovered(ctx context.Context, start time.Time, d *decision) {
	defer func() {
		if recover() != nil {
			ev := f.event(start, d.level(acts{}), d, acts{})
			f.writeLine(ctx, &ev, d.stack)
		}
	}()
	f.logRequest(ctx, start, d, acts{})
}

// writeAnswer writes a rendered TwiML document. Every answer a flow gives a
// signed request is 200 with TwiML: Twilio reads anything else as "an
// application error has occurred", which a caller should never hear.
//
// The three header values are this response's own (one array, each
// value a slice of it with no room to grow), as Header.Set would make
// them in three allocations: a middleware that rewrites or appends to one
// changes no other response.
func writeAnswer(w http.ResponseWriter, answer []byte) error {
	values := &[3]string{"no-store", "text/xml; charset=utf-8", strconv.Itoa(len(answer))}
	h := w.Header()
	h["Cache-Control"] = values[0:1:1]
	h["Content-Type"] = values[1:2:2]
	h["Content-Length"] = values[2:3:3]
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(answer)
	return err
}

// writeRefusal answers a request refused before its signature checked:
// a status and a word, nothing of the request.
func writeRefusal(w http.ResponseWriter, status int) {
	text := "forbidden"
	switch status {
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", "GET, POST")
		text = "method not allowed"
	case http.StatusBadRequest:
		text = "bad request"
	}
	http.Error(w, text, status)
}

// unusable reports whether f was not built by New: a nil *Flow, or a
// zero Flow{}.
func (f *Flow) unusable() bool { return f == nil || f.validator == nil }

// serveUnusable answers a request to a Flow that New did not build with
// 500 and an error line on slog.Default(): the service's bug, which no
// caller input can cause.
func serveUnusable(w http.ResponseWriter, r *http.Request) {
	slog.Default().LogAttrs(r.Context(), slog.LevelError,
		"flow: ServeHTTP on a nil or zero Flow; build it with flow.New and check its error",
		slog.String("path", r.URL.Path))
	http.Error(w, "internal server error", http.StatusInternalServerError)
}
