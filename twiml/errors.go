package twiml

import (
	"errors"
	"strconv"
)

// ErrInvalid is matched by every error [Response.Validate] returns: a value
// Twilio would refuse.
var ErrInvalid = errors.New("twiml: invalid value")

// ErrSyntax is matched by every error [Parse] returns for a document that is
// not well-formed voice TwiML: malformed XML, an unknown verb or attribute, a
// verb where Twilio does not allow it, or a value not of its attribute's type.
var ErrSyntax = errors.New("twiml: syntax error")

// ErrTooLarge is matched by the error [Parse] returns for a document longer
// than [MaxDocumentSize].
var ErrTooLarge = errors.New("twiml: document too large")

// Error describes one problem with a verb or one of its attributes. Its Err
// is [ErrInvalid], [ErrSyntax] or [ErrTooLarge]. Error never quotes a verb's
// text.
type Error struct {
	Verb   string // element name of the verb, such as "Gather"; "" for the document itself
	Attr   string // attribute name, such as "numDigits"; "" for the verb itself or its text
	Line   int    // line of the document, from Parse; 0 from Validate
	Reason string // what is wrong
	Err    error  // ErrInvalid, ErrSyntax or ErrTooLarge
}

// Error returns the message, as in "twiml: Gather numDigits: must be at least 1".
func (e *Error) Error() string {
	b := make([]byte, 0, 64)
	b = append(b, "twiml: "...)
	if e.Line > 0 {
		b = append(b, "line "...)
		b = strconv.AppendInt(b, int64(e.Line), 10)
		b = append(b, ": "...)
	}
	if e.Verb != "" {
		b = append(b, e.Verb...)
		if e.Attr != "" {
			b = append(b, ' ')
			b = append(b, e.Attr...)
		}
		b = append(b, ": "...)
	}
	b = append(b, e.Reason...)
	return string(b)
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }
