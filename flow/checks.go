package flow

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/encgather/encgather/twiml"
)

// Call is a read-only view of a call in progress, as a step's Check,
// PromptFor and DigitsFor see it: the Plain values and facts gathered
// so far, the flow's clock and the attempt. It holds no sensitive value.
// It is valid only during the call of the function it is given to.
type Call struct {
	f       *Flow
	callSid string
	fields  []field
	step    int
	attempt int
	now     time.Time
	entry   []byte // the entry parameters' values (WithEntryParams), encoded
}

// callView returns the Call of a request at step idx with state st, or
// nil when the step has no function that reads one.
func (f *Flow) callView(wh *webhook, idx int, st *state) *Call {
	s := &f.steps[idx]
	if s.Check == nil && s.DigitsFor == nil && s.PromptFor == nil {
		return nil
	}
	return &Call{f: f, callSid: wh.callSid, fields: st.fields, step: idx, attempt: st.attempt, now: wh.now, entry: wh.entry}
}

// CallSid is the call's Twilio identifier.
func (c *Call) CallSid() string { return c.callSid }

// Step is the name of the step asking.
func (c *Call) Step() string { return c.f.steps[c.step].Name }

// Attempt is the step's attempt: 1 the first time it asks.
func (c *Call) Attempt() int { return c.attempt }

// Now is the flow's clock at this request (WithClock replaces it): the
// time an expiry date or a birth date is checked against.
func (c *Call) Now() time.Time { return c.now }

// Plain returns the value a Plain step gathered under the field name
// (the step's Field, or its Name), and whether the call holds one.
func (c *Call) Plain(field string) (string, bool) {
	for _, fl := range c.fields {
		if fl.plain && c.f.steps[fl.step].field() == field {
			return string(fl.value), true
		}
	}
	return "", false
}

// Fact returns the value of a fact an earlier step revealed, or of an
// entry parameter (WithEntryParams), and whether the call holds it.
func (c *Call) Fact(name string) (string, bool) {
	if v, ok := c.f.entryFact(c.entry, name); ok {
		return v, true
	}
	ref, ok := c.f.facts[name]
	if !ok {
		return "", false
	}
	for _, fl := range c.fields {
		if int(fl.step) == ref.step {
			return factAt(fl.facts, ref.index)
		}
	}
	return "", false
}

// Path names the steps answered so far, in the order of their latest
// answers.
func (c *Call) Path() []string {
	path := make([]string, len(c.fields))
	for i, fl := range c.fields {
		path[i] = c.f.steps[fl.step].Name
	}
	return path
}

// factAt returns the i-th fact of encoded facts: each a 1-byte length
// and its bytes.
func factAt(facts []byte, i int) (string, bool) {
	for k := 0; len(facts) > 0; k++ {
		n := int(facts[0])
		if 1+n > len(facts) {
			return "", false
		}
		if k == i {
			return string(facts[1 : 1+n]), true
		}
		facts = facts[1+n:]
	}
	return "", false
}

// reveal runs step's Reveal on its accepted value and encodes the facts
// in the order of its Reveals. Neither the value nor a fact appears in
// its error.
func (f *Flow) reveal(step *Step, value string) ([]byte, error) {
	facts := step.Reveal(value)
	known := 0
	out := make([]byte, 0, len(step.Reveals)*4)
	for _, name := range step.Reveals {
		v, ok := facts[name]
		if ok {
			known++
		}
		if len(v) > MaxFactLen || !printable(v) {
			return nil, fmt.Errorf("flow: step %q: fact %q is over %d bytes or not printable ASCII", step.Name, name, MaxFactLen)
		}
		out = append(out, uint8(len(v)))
		out = append(out, v...)
	}
	if known != len(facts) {
		return nil, fmt.Errorf("flow: step %q: Reveal returned a fact it does not declare", step.Name)
	}
	return out, nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// digitsFor returns the Digits step idx asks for: DigitsFor's choice,
// which must lie within the step's Digits, or the Digits themselves.
func (f *Flow) digitsFor(idx int, c *Call) (Digits, error) {
	s := &f.steps[idx]
	if s.DigitsFor == nil {
		return s.Digits, nil
	}
	d := s.DigitsFor(c)
	if !d.within(s.Digits) {
		return Digits{}, fmt.Errorf("flow: step %q: DigitsFor returned %d to %d digits, outside %d to %d", s.Name, d.Min, d.Max, s.Digits.Min, s.Digits.Max)
	}
	return d, nil
}

// promptFor returns what step idx says: PromptFor's verbs, checked as
// New checks a Prompt, or the Prompt.
func (f *Flow) promptFor(idx int, c *Call) ([]twiml.GatherVerb, error) {
	s := &f.steps[idx]
	if s.PromptFor == nil {
		return s.Prompt, nil
	}
	p := s.PromptFor(c)
	if len(p) == 0 {
		return nil, fmt.Errorf("flow: step %q: PromptFor returned no prompt", s.Name)
	}
	if err := validGatherVerbs(p); err != nil {
		return nil, fmt.Errorf("flow: step %q: PromptFor: %w", s.Name, err)
	}
	return p, nil
}

// ErrInvalidDigits is what the built-in checks report for an entry with a
// wrong count or a key other than 0-9. It never quotes the entry.
var ErrInvalidDigits = errors.New("flow: invalid digits")

// errRejected is what check reports for an entry the step's Validate or
// Check refused. Their own error is never logged: it may quote the value.
var errRejected = errors.New("flow: entry refused by the step's checks")

// check applies the built-in checks (ErrInvalidDigits) to an entry of
// keys, or a normalized transcript on a step with Digits, and then the
// step's own. It returns errRejected and the step's own error, which
// only selects a Retry, for an entry the step refused.
func (s *Step) check(c *Call, d Digits, value string, spoken bool) (err, cause error) {
	if !spoken || !s.Digits.isZero() {
		if len(value) < d.Min || len(value) > d.Max {
			return ErrInvalidDigits, nil
		}
		for i := 0; i < len(value); i++ {
			if value[i] < '0' || value[i] > '9' {
				return ErrInvalidDigits, nil
			}
		}
	}
	if spoken && (len(value) == 0 || len(value) > s.MaxSpeechLen) {
		return ErrInvalidDigits, nil
	}
	if s.Validate != nil {
		if cause = s.Validate(value); cause != nil {
			return errRejected, cause
		}
	}
	if s.Check != nil {
		if cause = s.Check(c, value); cause != nil {
			return errRejected, cause
		}
	}
	return nil, nil
}

// refusal is the reason a step asks again after check refused an entry.
func refusal(err error) Reason {
	if errors.Is(err, errRejected) {
		return ReasonRejected
	}
	return ReasonInvalid
}

// Luhn is a Validate function for full card numbers: it accepts digit
// strings whose Luhn (mod 10) check digit is right.
func Luhn(digits string) error {
	if len(digits) < 2 {
		return ErrInvalidDigits
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return ErrInvalidDigits
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	if sum%10 != 0 {
		return ErrInvalidDigits
	}
	return nil
}

// DateLayout is the order in which a caller types a date's digits.
type DateLayout int

// The date layouts: eight digits each.
const (
	DateMMDDYYYY DateLayout = iota + 1 // month, day, year: 07041976
	DateYYYYMMDD                       // year, month, day: 19760704
)

// ErrInvalidDate is what a Date check returns for digits that are not a
// real date in its layout, such as 02301990.
var ErrInvalidDate = errors.New("flow: not a date")

// ErrDateOutOfRange is what a Date check returns for a real date outside
// what its rules ask: in the future when Past was asked, or an age out of
// AgeBetween's bounds. A Retry may say it apart from ErrInvalidDate.
var ErrDateOutOfRange = errors.New("flow: date out of range")

// DateRule narrows the dates a Date check accepts.
type DateRule func(*dateRules)

type dateRules struct {
	past, future   bool
	minAge, maxAge int
	hasAge         bool
}

// Past accepts only dates before today.
func Past() DateRule { return func(r *dateRules) { r.past = true } }

// Future accepts only dates after today.
func Future() DateRule { return func(r *dateRules) { r.future = true } }

// AgeBetween accepts only dates of birth that make the caller minYears
// to maxYears old today, in whole years.
func AgeBetween(minYears, maxYears int) DateRule {
	return func(r *dateRules) { r.minAge, r.maxAge, r.hasAge = minYears, maxYears, true }
}

// Date returns a Check for a date typed as eight digits in layout: a real
// date (ErrInvalidDate), within its rules (ErrDateOutOfRange). Today is
// the day of the flow's clock (Call.Now, which WithClock replaces), in
// the clock's location. Use it on an Exactly(8) step.
func Date(layout DateLayout, rules ...DateRule) func(c *Call, digits string) error {
	var r dateRules
	for _, rule := range rules {
		rule(&r)
	}
	return func(c *Call, digits string) error {
		y, m, d, ok := parseDate(layout, digits)
		if !ok {
			return ErrInvalidDate
		}
		now := c.Now()
		date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, now.Location())
		if date.Year() != y || int(date.Month()) != m || date.Day() != d {
			return ErrInvalidDate
		}
		ty, tm, td := now.Date()
		today := time.Date(ty, tm, td, 0, 0, 0, 0, now.Location())
		if r.past && !date.Before(today) || r.future && !date.After(today) {
			return ErrDateOutOfRange
		}
		if r.hasAge {
			age := ty - y
			if int(tm) < m || int(tm) == m && td < d {
				age--
			}
			if age < r.minAge || age > r.maxAge {
				return ErrDateOutOfRange
			}
		}
		return nil
	}
}

// parseDate reads eight digits in layout as year, month and day.
func parseDate(layout DateLayout, digits string) (y, m, d int, ok bool) {
	if len(digits) != 8 {
		return 0, 0, 0, false
	}
	n := func(s string) int {
		v := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				ok = false
			}
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	ok = true
	switch layout {
	case DateMMDDYYYY:
		m, d, y = n(digits[:2]), n(digits[2:4]), n(digits[4:])
	case DateYYYYMMDD:
		y, m, d = n(digits[:4]), n(digits[4:6]), n(digits[6:])
	default:
		return 0, 0, 0, false
	}
	return y, m, d, ok && y > 0
}

// SpokenDigits is a Normalize function for digits said aloud: it turns a
// transcript such as "four three two one", "4 3 2 1", "4321" or "double
// seven oh five" into the digits it names ("4321", "7705"), and refuses
// (false) a transcript with any other word.
func SpokenDigits(transcript string) (string, bool) {
	out := make([]byte, 0, len(transcript))
	repeat := 1
	for _, w := range strings.FieldsFunc(strings.ToLower(transcript), func(r rune) bool {
		return r == ' ' || r == ',' || r == '.' || r == '-' || r == '\t'
	}) {
		switch w {
		case "double":
			repeat = 2
			continue
		case "triple":
			repeat = 3
			continue
		}
		var d string
		if i := slices.Index(digitWords[:], w); i >= 0 {
			d = strconv.Itoa(i % 10)
		} else if strings.Trim(w, "0123456789") == "" {
			d = w
		} else {
			return "", false
		}
		out = append(out, strings.Repeat(d, repeat)...)
		repeat = 1
	}
	if len(out) == 0 || repeat != 1 {
		return "", false
	}
	return string(out), true
}

// digitWords are the words SpokenDigits reads, at their digit's index
// (modulo 10).
var digitWords = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
	"oh", "", "to", "", "for", "", "", "", "", "", "o"}
