package twiml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxDocumentSize is the longest document Parse reads, in bytes: Twilio's
// own limit on a TwiML response.
const MaxDocumentSize = 64 << 10

// MaxDepth is the deepest nesting of elements Parse reads: Response, Gather,
// and a verb inside the Gather. Anything deeper is an error.
const MaxDepth = 3

// maxQuoted is the most bytes of an unknown name an error quotes.
const maxQuoted = 40

// Parse reads a voice TwiML document: an optional XML declaration, then a
// Response element holding verbs. It reads everything [Response.AppendXML]
// writes and ordinary hand-written TwiML: whitespace and comments between
// elements, self-closing tags, either kind of attribute quotes, entities and
// character references.
//
// Text (Say's words, Play's and Redirect's URLs) is kept exactly, whitespace
// included. Attribute values are read by their type: integers for loop and
// numDigits, whole seconds for length, timeout and speechTimeout, "true" or
// "false" for actionOnEmptyResult and profanityFilter. loop="0" reads as
// [LoopForever], speechTimeout="auto" as [SpeechTimeoutAuto] and
// finishOnKey="" as [NoFinishOnKey]; an explicit zero count or duration
// reads as 0, which renders as the attribute left out. Seconds beyond what a
// time.Duration holds read as its largest magnitude. Enumeration values are
// kept as written; [Response.Validate] reports those Twilio would refuse.
//
// Errors are [*Error] values that match [ErrSyntax], or [ErrTooLarge] for a
// document longer than [MaxDocumentSize]. An unknown verb or attribute, a
// verb where Twilio does not allow it (anything but Say, Play and Pause in a
// Gather), a repeated attribute, text outside Say, Play and Redirect, or a
// DOCTYPE is an error that names it.
func Parse(data []byte) (*Response, error) {
	if len(data) > MaxDocumentSize {
		return nil, &Error{
			Reason: "document is longer than " + strconv.Itoa(MaxDocumentSize) + " bytes",
			Err:    ErrTooLarge,
		}
	}
	p := parser{d: xml.NewDecoder(bytes.NewReader(data))}
	r, err := p.document()
	if err != nil {
		return nil, err
	}
	return r, nil
}

// parser reads one document from an xml.Decoder.
type parser struct {
	d     *xml.Decoder
	depth int
}

// errorf returns a syntax error at the decoder's current line.
func (p *parser) errorf(verb, attr, reason string) error {
	line, _ := p.d.InputPos()
	return &Error{Verb: verb, Attr: attr, Line: line, Reason: reason, Err: ErrSyntax}
}

// token returns the next token that matters: start and end elements and
// character data. It skips comments and processing instructions and
// rejects directives.
func (p *parser) token() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			return nil, p.xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			p.depth++
			if p.depth > MaxDepth {
				return nil, p.errorf("", "", "elements nested deeper than "+strconv.Itoa(MaxDepth))
			}
			return t, nil
		case xml.EndElement:
			p.depth--
			return t, nil
		case xml.CharData:
			return t, nil
		case xml.Directive:
			return nil, p.errorf("", "", "directives such as DOCTYPE are not allowed")
		}
	}
}

// xmlError converts an error from the decoder.
func (p *parser) xmlError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{Line: se.Line, Reason: se.Msg, Err: ErrSyntax}
	}
	if err == io.EOF {
		return p.errorf("", "", "unexpected end of document")
	}
	return p.errorf("", "", err.Error())
}

func (p *parser) document() (*Response, error) {
	var r *Response
	for {
		tok, err := p.d.Token()
		if err == io.EOF && r != nil {
			return r, nil
		}
		if err != nil {
			return nil, p.xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if r != nil {
				return nil, p.errorf("", "", "more than one root element")
			}
			p.depth = 1
			if r, err = p.response(t); err != nil {
				return nil, err
			}
		case xml.CharData:
			if !isSpace(t) {
				return nil, p.errorf("", "", "text outside the Response element")
			}
		case xml.Directive:
			return nil, p.errorf("", "", "directives such as DOCTYPE are not allowed")
		}
	}
}

func (p *parser) response(start xml.StartElement) (*Response, error) {
	if name(start.Name) != "Response" {
		return nil, p.errorf("", "", "root element is "+quote(name(start.Name))+", not Response")
	}
	if len(start.Attr) > 0 {
		return nil, p.unknownAttr("Response", start.Attr[0].Name)
	}
	r := &Response{}
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := p.verb(t)
			if err != nil {
				return nil, err
			}
			r.Verbs = append(r.Verbs, v)
		case xml.EndElement:
			return r, nil
		case xml.CharData:
			if !isSpace(t) {
				return nil, p.errorf("Response", "", "holds text")
			}
		}
	}
}

// verb reads a verb that sits directly in a Response.
func (p *parser) verb(start xml.StartElement) (Verb, error) {
	switch name(start.Name) {
	case "Gather":
		return p.gather(start)
	case "Redirect":
		return p.redirect(start)
	case "Hangup":
		return Hangup{}, p.empty("Hangup", start)
	case "Reject":
		return p.reject(start)
	}
	return p.gatherVerb(start, "Response")
}

// gatherVerb reads a Say, Play or Pause in parent.
func (p *parser) gatherVerb(start xml.StartElement, parent string) (GatherVerb, error) {
	switch n := name(start.Name); n {
	case "Say":
		return p.say(start)
	case "Play":
		return p.play(start)
	case "Pause":
		return p.pause(start)
	case "Gather", "Redirect", "Hangup", "Reject":
		return nil, p.errorf(parent, "", "cannot hold "+n)
	default:
		return nil, p.errorf("", "", "unknown verb "+quote(n))
	}
}

func (p *parser) say(start xml.StartElement) (GatherVerb, error) {
	var s Say
	var seen attrSet
	for _, a := range start.Attr {
		var err error
		switch n := name(a.Name); n {
		case "voice":
			s.Voice = a.Value
		case "language":
			s.Language = a.Value
		case "loop":
			s.Loop, err = p.loop("Say", a.Value)
		default:
			return nil, p.unknownAttr("Say", a.Name)
		}
		if err == nil {
			err = p.once(&seen, "Say", a.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	var err error
	s.Text, err = p.text("Say")
	return s, err
}

func (p *parser) play(start xml.StartElement) (GatherVerb, error) {
	var pl Play
	var seen attrSet
	for _, a := range start.Attr {
		var err error
		switch name(a.Name) {
		case "loop":
			pl.Loop, err = p.loop("Play", a.Value)
		case "digits":
			pl.Digits = a.Value
		default:
			return nil, p.unknownAttr("Play", a.Name)
		}
		if err == nil {
			err = p.once(&seen, "Play", a.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	var err error
	pl.URL, err = p.text("Play")
	return pl, err
}

func (p *parser) pause(start xml.StartElement) (GatherVerb, error) {
	var ps Pause
	var seen attrSet
	for _, a := range start.Attr {
		var err error
		switch name(a.Name) {
		case "length":
			ps.Length, err = p.seconds("Pause", "length", a.Value)
		default:
			return nil, p.unknownAttr("Pause", a.Name)
		}
		if err == nil {
			err = p.once(&seen, "Pause", a.Name)
		}
		if err != nil {
			return nil, err
		}
	}
	return ps, p.empty("Pause", xml.StartElement{})
}

func (p *parser) gather(start xml.StartElement) (Verb, error) {
	var g Gather
	var seen attrSet
	for _, a := range start.Attr {
		if err := p.gatherAttr(&g, a); err != nil {
			return nil, err
		}
		if err := p.once(&seen, "Gather", a.Name); err != nil {
			return nil, err
		}
	}
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := p.gatherVerb(t, "Gather")
			if err != nil {
				return nil, err
			}
			g.Verbs = append(g.Verbs, v)
		case xml.EndElement:
			return g, nil
		case xml.CharData:
			if !isSpace(t) {
				return nil, p.errorf("Gather", "", "holds text")
			}
		}
	}
}

// gatherAttr sets the field of g that a names.
func (p *parser) gatherAttr(g *Gather, a xml.Attr) error {
	var err error
	switch n := name(a.Name); n {
	case "input":
		g.Input = Input(a.Value)
	case "action":
		g.Action = a.Value
	case "method":
		g.Method = Method(a.Value)
	case "timeout":
		g.Timeout, err = p.seconds("Gather", n, a.Value)
	case "numDigits":
		g.NumDigits, err = p.integer("Gather", n, a.Value)
	case "finishOnKey":
		g.FinishOnKey = FinishOnKey(a.Value)
		if a.Value == "" {
			g.FinishOnKey = NoFinishOnKey
		}
	case "actionOnEmptyResult":
		g.ActionOnEmptyResult, err = p.boolean("Gather", n, a.Value)
	case "speechTimeout":
		g.SpeechTimeout = SpeechTimeoutAuto
		if a.Value != "auto" {
			g.SpeechTimeout, err = p.seconds("Gather", n, a.Value)
		}
	case "language":
		g.Language = a.Value
	case "hints":
		g.Hints = a.Value
	case "speechModel":
		g.SpeechModel = a.Value
	case "profanityFilter":
		var on bool
		on, err = p.boolean("Gather", n, a.Value)
		g.ProfanityFilter = ToggleOff
		if on {
			g.ProfanityFilter = ToggleOn
		}
	case "partialResultCallback":
		g.PartialResultCallback = a.Value
	case "partialResultCallbackMethod":
		g.PartialResultCallbackMethod = Method(a.Value)
	default:
		return p.unknownAttr("Gather", a.Name)
	}
	return err
}

func (p *parser) redirect(start xml.StartElement) (Verb, error) {
	var r Redirect
	var seen attrSet
	for _, a := range start.Attr {
		switch name(a.Name) {
		case "method":
			r.Method = Method(a.Value)
		default:
			return nil, p.unknownAttr("Redirect", a.Name)
		}
		if err := p.once(&seen, "Redirect", a.Name); err != nil {
			return nil, err
		}
	}
	var err error
	r.URL, err = p.text("Redirect")
	return r, err
}

func (p *parser) reject(start xml.StartElement) (Verb, error) {
	var r Reject
	var seen attrSet
	for _, a := range start.Attr {
		switch name(a.Name) {
		case "reason":
			r.Reason = RejectReason(a.Value)
		default:
			return nil, p.unknownAttr("Reject", a.Name)
		}
		if err := p.once(&seen, "Reject", a.Name); err != nil {
			return nil, err
		}
	}
	return r, p.empty("Reject", xml.StartElement{})
}

// text reads the character data of verb up to its end tag.
func (p *parser) text(verb string) (string, error) {
	var b strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return "", p.errorf(verb, "", "holds text only, not "+quote(name(t.Name)))
		case xml.EndElement:
			return b.String(), nil
		case xml.CharData:
			b.Write(t)
		}
	}
}

// empty checks that verb has no attributes in start and no content but
// whitespace up to its end tag.
func (p *parser) empty(verb string, start xml.StartElement) error {
	if len(start.Attr) > 0 {
		return p.unknownAttr(verb, start.Attr[0].Name)
	}
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return p.errorf(verb, "", "cannot hold "+quote(name(t.Name)))
		case xml.EndElement:
			return nil
		case xml.CharData:
			if !isSpace(t) {
				return p.errorf(verb, "", "holds text")
			}
		}
	}
}

func (p *parser) unknownAttr(verb string, n xml.Name) error {
	return p.errorf(verb, "", "unknown attribute "+quote(name(n)))
}

// attrSet records the attributes of one element seen so far. Every verb has
// fewer attributes than a small slice holds without growing.
type attrSet []string

// once reports an attribute that appears twice on one element.
func (p *parser) once(seen *attrSet, verb string, n xml.Name) error {
	a := name(n)
	for _, s := range *seen {
		if s == a {
			return p.errorf(verb, a, "appears twice")
		}
	}
	*seen = append(*seen, a)
	return nil
}

func (p *parser) integer(verb, attr, s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, strconv.IntSize)
	if err != nil {
		return 0, p.errorf(verb, attr, "is not an integer")
	}
	return int(n), nil
}

// loop reads a loop attribute; "0" reads as LoopForever.
func (p *parser) loop(verb, s string) (int, error) {
	n, err := p.integer(verb, "loop", s)
	if n == 0 && err == nil {
		n = LoopForever
	}
	return n, err
}

// seconds reads whole seconds, saturating at the largest Duration.
func (p *parser) seconds(verb, attr, s string) (time.Duration, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, p.errorf(verb, attr, "is not a whole number of seconds")
	}
	const limit = math.MaxInt64 / int64(time.Second)
	switch {
	case n > limit:
		return math.MaxInt64, nil
	case n < -limit:
		return math.MinInt64, nil
	}
	return time.Duration(n) * time.Second, nil
}

func (p *parser) boolean(verb, attr, s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, p.errorf(verb, attr, "must be true or false")
}

// name returns the element or attribute name as written, with its prefix.
func name(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// quote quotes a name taken from the document, cut to maxQuoted bytes.
func quote(s string) string {
	if len(s) > maxQuoted {
		s = s[:maxQuoted] + "..."
	}
	return strconv.Quote(s)
}

func isSpace(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t\r\n")) == 0
}
