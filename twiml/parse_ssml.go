package twiml

import (
	"encoding/xml"
	"strings"
	"time"
)

// speech reads the SSML content of parent up to its end tag. Adjacent
// character data (split by comments or CDATA sections) becomes one
// SSMLText.
func (p *parser) speech(parent string) ([]Speech, error) {
	var content []Speech
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			content = append(content, SSMLText(text.String()))
			text.Reset()
		}
	}
	err := p.content(parent, func(t []byte) { text.Write(t) }, func(t xml.StartElement) error {
		flush()
		s, err := p.ssml(t, parent)
		content = append(content, s)
		return err
	})
	flush()
	return content, err
}

// ssml reads one SSML element in parent.
func (p *parser) ssml(start xml.StartElement, parent string) (Speech, error) {
	switch n := name(start.Name); n {
	case "break":
		return emptyElement(p, n, start, breakAttrs)
	case "emphasis":
		return container(p, n, start, emphasisAttrs, func(v *SSMLEmphasis) *[]Speech { return &v.Content })
	case "lang":
		return container(p, n, start, langAttrs, func(v *SSMLLang) *[]Speech { return &v.Content })
	case "p":
		return container[SSMLP](p, n, start, nil, func(v *SSMLP) *[]Speech { return &v.Content })
	case "phoneme":
		return textElement(p, n, start, phonemeAttrs, func(v *SSMLPhoneme) *string { return &v.Text })
	case "prosody":
		return container(p, n, start, prosodyAttrs, func(v *SSMLProsody) *[]Speech { return &v.Content })
	case "s":
		return container[SSMLS](p, n, start, nil, func(v *SSMLS) *[]Speech { return &v.Content })
	case "say-as":
		return textElement(p, n, start, sayAsAttrs, func(v *SSMLSayAs) *string { return &v.Text })
	case "sub":
		return textElement(p, n, start, subAttrs, func(v *SSMLSub) *string { return &v.Text })
	case "w":
		return textElement(p, n, start, wAttrs, func(v *SSMLW) *string { return &v.Text })
	case "amazon:effect":
		return container(p, n, start, effectAttrs, func(v *SSMLAmazonEffect) *[]Speech { return &v.Content })
	default:
		return nil, p.errorf(parent, "", "cannot hold "+quote(n)+": not an SSML element Twilio accepts")
	}
}

// container reads an SSML element whose attributes table reads and whose
// content is more SSML, kept in the field content returns.
func container[T any](p *parser, n string, start xml.StartElement, table []attrRule[T], content func(*T) *[]Speech) (T, error) {
	var v T
	if err := readAttrs(p, n, start, table, &v); err != nil {
		return v, err
	}
	c, err := p.speech(n)
	*content(&v) = c
	return v, err
}

func isText(s Speech) bool {
	_, ok := s.(SSMLText)
	return ok
}

var breakAttrs = []attrRule[SSMLBreak]{
	str("strength", func(b *SSMLBreak) *BreakStrength { return &b.Strength }),
	{"time", func(b *SSMLBreak, s string) (err error) {
		b.Time, err = parseBreakTime(s)
		return err
	}},
}

// parseBreakTime reads "3s" or "500ms". A negative time is read, for
// Validate to report.
func parseBreakTime(s string) (time.Duration, error) {
	unit, digits := time.Second, strings.TrimSuffix(s, "s")
	if ms, ok := strings.CutSuffix(s, "ms"); ok {
		unit, digits = time.Millisecond, ms
	}
	if digits == s {
		return 0, errBreakTime
	}
	return parseUnits(digits, unit, errBreakTime)
}

var emphasisAttrs = []attrRule[SSMLEmphasis]{
	str("level", func(e *SSMLEmphasis) *EmphasisLevel { return &e.Level }),
}

var langAttrs = []attrRule[SSMLLang]{
	str("xml:lang", func(l *SSMLLang) *string { return &l.Lang }),
}

var phonemeAttrs = []attrRule[SSMLPhoneme]{
	str("alphabet", func(p *SSMLPhoneme) *PhonemeAlphabet { return &p.Alphabet }),
	str("ph", func(p *SSMLPhoneme) *string { return &p.Ph }),
}

var prosodyAttrs = []attrRule[SSMLProsody]{
	str("volume", func(p *SSMLProsody) *string { return &p.Volume }),
	str("rate", func(p *SSMLProsody) *string { return &p.Rate }),
	str("pitch", func(p *SSMLProsody) *string { return &p.Pitch }),
}

var sayAsAttrs = []attrRule[SSMLSayAs]{
	str("interpret-as", func(s *SSMLSayAs) *InterpretAs { return &s.InterpretAs }),
	str("format", func(s *SSMLSayAs) *DateFormat { return &s.Format }),
}

var subAttrs = []attrRule[SSMLSub]{
	str("alias", func(s *SSMLSub) *string { return &s.Alias }),
}

var wAttrs = []attrRule[SSMLW]{
	str("role", func(w *SSMLW) *WordRole { return &w.Role }),
}

var effectAttrs = []attrRule[SSMLAmazonEffect]{
	str("name", func(e *SSMLAmazonEffect) *AmazonEffect { return &e.Name }),
}
