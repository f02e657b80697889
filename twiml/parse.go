package twiml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// MaxDocumentSize is the longest document Parse reads, in bytes: Twilio's
// own limit on a TwiML response.
const MaxDocumentSize = 64 << 10

// MaxDepth is the deepest nesting of elements Parse reads: Response,
// Gather, a Say inside the Gather and SSML five elements deep inside the
// Say. Anything deeper is an error.
const MaxDepth = 8

// maxQuoted is the most bytes of an unknown name an error quotes.
const maxQuoted = 40

// Parse reads a voice TwiML document: an optional XML declaration, then a
// Response element holding verbs. It reads everything [Response.AppendXML]
// writes and ordinary hand-written TwiML: whitespace and comments between
// elements, self-closing tags, either kind of attribute quotes, entities and
// character references.
//
// Text (Say's words, Play's and Redirect's URLs, a Dial's number, a noun's
// number, identity, URI or name) is kept exactly, whitespace included. A
// Say holding SSML elements is read into its Content, with its text as
// [SSMLText]; a Say of text only, into its Text. Attribute values are read
// by their type: integers for counts, whole seconds or milliseconds for
// durations, "true" or "false" for booleans and toggles, space-separated
// words for event lists. loop="0" reads as [LoopForever],
// speechTimeout="auto" as [SpeechTimeoutAuto], finishOnKey="" as
// [NoFinishOnKey] and a Conference's waitUrl="" as SilentWait; an explicit
// zero count or duration reads as 0, which renders as the attribute left
// out. Seconds beyond what a time.Duration holds read as its largest
// magnitude. Enumeration values are kept as written; [Response.Validate]
// reports those Twilio would refuse.
//
// Errors are [*Error] values that match [ErrSyntax], or [ErrTooLarge] for a
// document longer than [MaxDocumentSize]. An unknown verb, noun, SSML
// element or attribute, an element where Twilio does not allow it (anything
// but Say, Play and Pause in a Gather, a noun outside a Dial, a verb in a
// Dial), a repeated attribute, text where only elements belong, or a
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
	err := p.content("Response", nil, func(t xml.StartElement) error {
		v, err := p.verb(t)
		r.Verbs = append(r.Verbs, v)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// verb reads a verb that sits directly in a Response.
func (p *parser) verb(start xml.StartElement) (Verb, error) {
	switch n := name(start.Name); n {
	case "Gather":
		return p.gather(start)
	case "Redirect":
		return textElement(p, n, start, redirectAttrs, func(r *Redirect) *string { return &r.URL })
	case "Hangup":
		return emptyElement[Hangup](p, n, start, nil)
	case "Reject":
		return emptyElement(p, n, start, rejectAttrs)
	case "Dial":
		return p.dial(start)
	case "Enqueue":
		return p.enqueue(start)
	case "Number", "Client", "Sip", "Conference", "Queue":
		return nil, p.errorf("Response", "", "cannot hold "+n+" outside a Dial")
	}
	return p.gatherVerb(start, "Response")
}

// gatherVerb reads a Say, Play or Pause in parent.
func (p *parser) gatherVerb(start xml.StartElement, parent string) (GatherVerb, error) {
	switch n := name(start.Name); n {
	case "Say":
		return p.say(start)
	case "Play":
		return textElement(p, n, start, playAttrs, func(pl *Play) *string { return &pl.URL })
	case "Pause":
		return emptyElement(p, n, start, pauseAttrs)
	case "Gather", "Redirect", "Hangup", "Reject", "Dial", "Enqueue":
		return nil, p.errorf(parent, "", "cannot hold "+n)
	default:
		return nil, p.errorf("", "", "unknown verb "+quote(n))
	}
}

func (p *parser) say(start xml.StartElement) (GatherVerb, error) {
	var s Say
	if err := readAttrs(p, "Say", start, sayAttrs, &s); err != nil {
		return nil, err
	}
	content, err := p.speech("Say")
	if err != nil {
		return nil, err
	}
	switch {
	case len(content) == 1 && isText(content[0]):
		s.Text = string(content[0].(SSMLText))
	case len(content) > 0:
		s.Content = content
	}
	return s, nil
}

func (p *parser) gather(start xml.StartElement) (Verb, error) {
	var g Gather
	if err := readAttrs(p, "Gather", start, gatherAttrs, &g); err != nil {
		return nil, err
	}
	err := p.content("Gather", nil, func(t xml.StartElement) error {
		v, err := p.gatherVerb(t, "Gather")
		g.Verbs = append(g.Verbs, v)
		return err
	})
	return g, err
}

// textElement reads an element whose attributes table reads and whose
// content is text, kept in the field text returns.
func textElement[T any](p *parser, verb string, start xml.StartElement, table []attrRule[T], text func(*T) *string) (T, error) {
	var v T
	if err := readAttrs(p, verb, start, table, &v); err != nil {
		return v, err
	}
	s, err := p.text(verb)
	*text(&v) = s
	return v, err
}

// emptyElement reads an element whose attributes table reads and that holds
// nothing but whitespace.
func emptyElement[T any](p *parser, verb string, start xml.StartElement, table []attrRule[T]) (T, error) {
	var v T
	if err := readAttrs(p, verb, start, table, &v); err != nil {
		return v, err
	}
	return v, p.content(verb, nil, nil)
}

// content reads the content of verb up to its end tag, handing character
// data to text and child elements to child. A nil text refuses text other
// than whitespace; a nil child refuses child elements.
func (p *parser) content(verb string, text func([]byte), child func(xml.StartElement) error) error {
	for {
		tok, err := p.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if child == nil {
				return p.errorf(verb, "", "cannot hold "+quote(name(t.Name)))
			}
			if err := child(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if text != nil {
				text(t)
			} else if !isSpace(t) {
				return p.errorf(verb, "", "holds text")
			}
		}
	}
}

// text reads the character data of verb up to its end tag.
func (p *parser) text(verb string) (string, error) {
	var b strings.Builder
	err := p.content(verb, func(t []byte) { b.Write(t) }, func(t xml.StartElement) error {
		return p.errorf(verb, "", "holds text only, not "+quote(name(t.Name)))
	})
	return b.String(), err
}

func (p *parser) unknownAttr(verb string, n xml.Name) error {
	return p.errorf(verb, "", "unknown attribute "+quote(name(n)))
}

// name returns the element or attribute name as written, with its prefix.
func name(n xml.Name) string {
	switch n.Space {
	case "":
		return n.Local
	case xmlNamespace:
		return "xml:" + n.Local
	}
	return n.Space + ":" + n.Local
}

// xmlNamespace is the namespace the decoder gives the xml: prefix, as in
// xml:lang.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

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
