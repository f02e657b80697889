package twiml

import (
	"io"
	"net/http"
	"strconv"
	"sync"
)

// header is the XML declaration every document starts with.
const header = `<?xml version="1.0" encoding="UTF-8"?>`

// AppendXML appends the rendered document to dst and returns the extended
// slice. It allocates nothing when dst has room. A nil r renders an empty
// Response.
func (r *Response) AppendXML(dst []byte) []byte {
	dst = append(dst, header+"<Response"...)
	start := len(dst)
	dst = append(dst, '>')
	if r != nil {
		for _, v := range r.Verbs {
			dst = appendVerb(dst, v)
		}
	}
	return appendEnd(dst, start, "Response")
}

// bufPool holds render buffers for WriteTo and WriteHTTP.
var bufPool = sync.Pool{New: func() any {
	b := make([]byte, 0, 1024)
	return &b
}}

// maxPooled is the largest buffer returned to bufPool.
const maxPooled = 64 << 10

// WriteTo writes the rendered document to w in one Write call, rendering
// into a pooled buffer rather than a string. It implements [io.WriterTo].
func (r *Response) WriteTo(w io.Writer) (int64, error) {
	bp := bufPool.Get().(*[]byte)
	b := r.AppendXML((*bp)[:0])
	n, err := w.Write(b)
	putBuf(bp, b)
	return int64(n), err
}

func putBuf(bp *[]byte, b []byte) {
	if cap(b) > maxPooled {
		return
	}
	*bp = b[:0]
	bufPool.Put(bp)
}

// String returns the rendered document.
func (r *Response) String() string {
	return string(r.AppendXML(nil))
}

// WriteHTTP writes r to w as a 200 response with Content-Type
// "text/xml; charset=utf-8" and its Content-Length. It returns the error
// from writing the body.
func WriteHTTP(w http.ResponseWriter, r *Response) error {
	bp := bufPool.Get().(*[]byte)
	b := r.AppendXML((*bp)[:0])
	h := w.Header()
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b)
	putBuf(bp, b)
	return err
}

// appendVerb appends one verb; a nil verb appends nothing.
func appendVerb(dst []byte, v Verb) []byte {
	switch v := v.(type) {
	case Say:
		return appendSay(dst, &v)
	case Play:
		return appendPlay(dst, &v)
	case Pause:
		return appendPause(dst, &v)
	case Gather:
		return appendGather(dst, &v)
	case Redirect:
		return appendRedirect(dst, &v)
	case Hangup:
		return append(dst, "<Hangup/>"...)
	case Reject:
		return appendReject(dst, &v)
	case Dial:
		return appendDial(dst, &v)
	case Enqueue:
		return appendEnqueue(dst, &v)
	}
	return dst
}

func appendSay(dst []byte, s *Say) []byte {
	dst = append(dst, "<Say"...)
	dst = appendStrAttr(dst, "voice", s.Voice)
	dst = appendStrAttr(dst, "language", s.Language)
	dst = appendLoop(dst, s.Loop)
	start := len(dst)
	dst = appendText(append(dst, '>'), s.Text)
	dst = appendSpeech(dst, s.Content)
	return appendEnd(dst, start, "Say")
}

func appendPlay(dst []byte, p *Play) []byte {
	dst = append(dst, "<Play"...)
	dst = appendLoop(dst, p.Loop)
	dst = appendStrAttr(dst, "digits", p.Digits)
	return appendTextEnd(dst, "Play", p.URL)
}

func appendPause(dst []byte, p *Pause) []byte {
	dst = append(dst, "<Pause"...)
	dst = appendSecondsAttr(dst, "length", p.Length)
	return append(dst, "/>"...)
}

func appendGather(dst []byte, g *Gather) []byte {
	dst = append(dst, "<Gather"...)
	dst = appendStrAttr(dst, "input", string(g.Input))
	dst = appendStrAttr(dst, "action", g.Action)
	dst = appendStrAttr(dst, "method", string(g.Method))
	dst = appendSecondsAttr(dst, "timeout", g.Timeout)
	dst = appendCountAttr(dst, "numDigits", g.NumDigits)
	switch g.FinishOnKey {
	case "":
	case NoFinishOnKey:
		dst = append(dst, ` finishOnKey=""`...)
	default:
		dst = appendStrAttr(dst, "finishOnKey", string(g.FinishOnKey))
	}
	dst = appendBoolAttr(dst, "actionOnEmptyResult", g.ActionOnEmptyResult)
	if g.SpeechTimeout == SpeechTimeoutAuto {
		dst = append(dst, ` speechTimeout="auto"`...)
	} else {
		dst = appendSecondsAttr(dst, "speechTimeout", g.SpeechTimeout)
	}
	dst = appendStrAttr(dst, "language", g.Language)
	dst = appendStrAttr(dst, "hints", g.Hints)
	dst = appendStrAttr(dst, "speechModel", g.SpeechModel)
	dst = appendToggleAttr(dst, "profanityFilter", g.ProfanityFilter)
	dst = appendStrAttr(dst, "partialResultCallback", g.PartialResultCallback)
	dst = appendStrAttr(dst, "partialResultCallbackMethod", string(g.PartialResultCallbackMethod))
	dst = appendSecondsAttr(dst, "maxSpeechTime", g.MaxSpeechTime)
	dst = appendToggleAttr(dst, "bargeIn", g.BargeIn)
	dst = appendBoolAttr(dst, "debug", g.Debug)
	dst = appendBoolAttr(dst, "enhanced", g.Enhanced)
	start := len(dst)
	dst = append(dst, '>')
	for _, v := range g.Verbs {
		dst = appendVerb(dst, v)
	}
	return appendEnd(dst, start, "Gather")
}

func appendRedirect(dst []byte, r *Redirect) []byte {
	dst = append(dst, "<Redirect"...)
	dst = appendStrAttr(dst, "method", string(r.Method))
	return appendTextEnd(dst, "Redirect", r.URL)
}

func appendReject(dst []byte, r *Reject) []byte {
	dst = append(dst, "<Reject"...)
	dst = appendStrAttr(dst, "reason", string(r.Reason))
	return append(dst, "/>"...)
}

// appendTextEnd closes a start tag and appends text and the end tag, or
// makes the tag self-closing when text is empty.
func appendTextEnd(dst []byte, name, text string) []byte {
	start := len(dst)
	return appendEnd(appendText(append(dst, '>'), text), start, name)
}

// appendEnd appends the end tag of name, whose start tag was closed by the
// '>' at dst[start]; when nothing followed that '>', it makes the start tag
// self-closing instead, so that an element with no content is always
// written the same way.
func appendEnd(dst []byte, start int, name string) []byte {
	if len(dst) == start+1 {
		return append(dst[:start], "/>"...)
	}
	dst = append(dst, "</"...)
	dst = append(dst, name...)
	return append(dst, '>')
}
