package twiml

import (
	"encoding/xml"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// attrRule reads the attribute name into a field of a T. Each element's
// attributes are one table of rules; readAttrs is the only loop over them.
type attrRule[T any] struct {
	name string
	set  func(v *T, value string) error
}

// readAttrs reads the attributes of start into v by the rules in table. An
// attribute with no rule, an attribute given twice, or a value a rule
// refuses is an error naming it.
func readAttrs[T any](p *parser, verb string, start xml.StartElement, table []attrRule[T], v *T) error {
	for i, a := range start.Attr {
		n := name(a.Name)
		rule := findRule(table, n)
		if rule == nil {
			return p.unknownAttr(verb, a.Name)
		}
		// Every earlier attribute had a rule and a name of its own, so
		// this loop is bounded by the size of the table.
		for _, earlier := range start.Attr[:i] {
			if name(earlier.Name) == n {
				return p.errorf(verb, n, "appears twice")
			}
		}
		if err := rule.set(v, a.Value); err != nil {
			return p.errorf(verb, n, err.Error())
		}
	}
	return nil
}

func findRule[T any](table []attrRule[T], n string) *attrRule[T] {
	for i := range table {
		if table[i].name == n {
			return &table[i]
		}
	}
	return nil
}

// The reasons a rule refuses a value; readAttrs names the element and
// attribute.
var (
	errNotInteger = errors.New("is not an integer")
	errNotSeconds = errors.New("is not a whole number of seconds")
	errNotMillis  = errors.New("is not a whole number of milliseconds")
	errNotBool    = errors.New("must be true or false")
	errBreakTime  = errors.New("is not a whole number of seconds (3s) or milliseconds (500ms)")
)

// str reads a string, or a string type such as Method, kept as written.
func str[T any, S ~string](n string, field func(*T) *S) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) error {
		*field(v) = S(s)
		return nil
	}}
}

// integer reads a decimal integer.
func integer[T any](n string, field func(*T) *int) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) (err error) {
		*field(v), err = parseInt(s)
		return err
	}}
}

// loop reads a loop count; "0" reads as LoopForever.
func loop[T any](field func(*T) *int) attrRule[T] {
	return attrRule[T]{"loop", func(v *T, s string) error {
		n, err := parseInt(s)
		if n == 0 {
			n = LoopForever
		}
		*field(v) = n
		return err
	}}
}

// secs reads whole seconds.
func secs[T any](n string, field func(*T) *time.Duration) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) (err error) {
		*field(v), err = parseUnits(s, time.Second, errNotSeconds)
		return err
	}}
}

// millis reads whole milliseconds.
func millis[T any](n string, field func(*T) *time.Duration) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) (err error) {
		*field(v), err = parseUnits(s, time.Millisecond, errNotMillis)
		return err
	}}
}

// boolean reads "true" or "false".
func boolean[T any](n string, field func(*T) *bool) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) (err error) {
		*field(v), err = parseBool(s)
		return err
	}}
}

// toggle reads "true" or "false" as ToggleOn or ToggleOff.
func toggle[T any](n string, field func(*T) *Toggle) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) error {
		on, err := parseBool(s)
		*field(v) = ToggleOff
		if on {
			*field(v) = ToggleOn
		}
		return err
	}}
}

// list reads values separated by single spaces, kept as written: an empty
// value between two spaces is kept too, for Validate to report.
func list[T any, S ~string](n string, field func(*T) *[]S) attrRule[T] {
	return attrRule[T]{n, func(v *T, s string) error {
		words := strings.Split(s, " ")
		values := make([]S, len(words))
		for i, w := range words {
			values[i] = S(w)
		}
		*field(v) = values
		return nil
	}}
}

func parseInt(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, strconv.IntSize)
	if err != nil {
		return 0, errNotInteger
	}
	return int(n), nil
}

// parseUnits reads a whole number of units, saturating at the largest
// Duration.
func parseUnits(s string, unit time.Duration, bad error) (time.Duration, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, bad
	}
	limit := math.MaxInt64 / int64(unit)
	switch {
	case n > limit:
		return math.MaxInt64, nil
	case n < -limit:
		return math.MinInt64, nil
	}
	return time.Duration(n) * unit, nil
}

func parseBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, errNotBool
}

var sayAttrs = []attrRule[Say]{
	str("voice", func(s *Say) *string { return &s.Voice }),
	str("language", func(s *Say) *string { return &s.Language }),
	loop(func(s *Say) *int { return &s.Loop }),
}

var playAttrs = []attrRule[Play]{
	loop(func(p *Play) *int { return &p.Loop }),
	str("digits", func(p *Play) *string { return &p.Digits }),
}

var pauseAttrs = []attrRule[Pause]{
	secs("length", func(p *Pause) *time.Duration { return &p.Length }),
}

var redirectAttrs = []attrRule[Redirect]{
	str("method", func(r *Redirect) *Method { return &r.Method }),
}

var rejectAttrs = []attrRule[Reject]{
	str("reason", func(r *Reject) *RejectReason { return &r.Reason }),
}

var gatherAttrs = []attrRule[Gather]{
	str("input", func(g *Gather) *Input { return &g.Input }),
	str("action", func(g *Gather) *string { return &g.Action }),
	str("method", func(g *Gather) *Method { return &g.Method }),
	secs("timeout", func(g *Gather) *time.Duration { return &g.Timeout }),
	integer("numDigits", func(g *Gather) *int { return &g.NumDigits }),
	{"finishOnKey", func(g *Gather, s string) error {
		g.FinishOnKey = FinishOnKey(s)
		if s == "" {
			g.FinishOnKey = NoFinishOnKey
		}
		return nil
	}},
	boolean("actionOnEmptyResult", func(g *Gather) *bool { return &g.ActionOnEmptyResult }),
	{"speechTimeout", func(g *Gather, s string) (err error) {
		g.SpeechTimeout = SpeechTimeoutAuto
		if s != "auto" {
			g.SpeechTimeout, err = parseUnits(s, time.Second, errNotSeconds)
		}
		return err
	}},
	str("language", func(g *Gather) *string { return &g.Language }),
	str("hints", func(g *Gather) *string { return &g.Hints }),
	str("speechModel", func(g *Gather) *string { return &g.SpeechModel }),
	toggle("profanityFilter", func(g *Gather) *Toggle { return &g.ProfanityFilter }),
	str("partialResultCallback", func(g *Gather) *string { return &g.PartialResultCallback }),
	str("partialResultCallbackMethod", func(g *Gather) *Method { return &g.PartialResultCallbackMethod }),
	secs("maxSpeechTime", func(g *Gather) *time.Duration { return &g.MaxSpeechTime }),
	toggle("bargeIn", func(g *Gather) *Toggle { return &g.BargeIn }),
	boolean("debug", func(g *Gather) *bool { return &g.Debug }),
	boolean("enhanced", func(g *Gather) *bool { return &g.Enhanced }),
}
