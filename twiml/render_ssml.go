package twiml

import (
	"strconv"
	"time"
)

// appendSpeech appends SSML content. Element names are constants and every
// value is escaped, so no Text or attribute can open an element of its own.
func appendSpeech(dst []byte, content []Speech) []byte {
	for _, s := range content {
		dst = appendSpeechNode(dst, s)
	}
	return dst
}

// appendSpeechNode appends one piece of SSML content; nil appends nothing.
func appendSpeechNode(dst []byte, s Speech) []byte {
	switch s := s.(type) {
	case SSMLText:
		return appendText(dst, string(s))
	case SSMLBreak:
		dst = append(dst, "<break"...)
		dst = appendStrAttr(dst, "strength", string(s.Strength))
		dst = appendBreakTime(dst, s.Time)
		return append(dst, "/>"...)
	case SSMLEmphasis:
		dst = append(dst, "<emphasis"...)
		dst = appendStrAttr(dst, "level", string(s.Level))
		return appendSpeechEnd(dst, "emphasis", s.Content)
	case SSMLLang:
		dst = append(dst, "<lang"...)
		dst = appendStrAttr(dst, "xml:lang", s.Lang)
		return appendSpeechEnd(dst, "lang", s.Content)
	case SSMLP:
		return appendSpeechEnd(append(dst, "<p"...), "p", s.Content)
	case SSMLPhoneme:
		dst = append(dst, "<phoneme"...)
		dst = appendStrAttr(dst, "alphabet", string(s.Alphabet))
		dst = appendStrAttr(dst, "ph", s.Ph)
		return appendTextEnd(dst, "phoneme", s.Text)
	case SSMLProsody:
		dst = append(dst, "<prosody"...)
		dst = appendStrAttr(dst, "volume", s.Volume)
		dst = appendStrAttr(dst, "rate", s.Rate)
		dst = appendStrAttr(dst, "pitch", s.Pitch)
		return appendSpeechEnd(dst, "prosody", s.Content)
	case SSMLS:
		return appendSpeechEnd(append(dst, "<s"...), "s", s.Content)
	case SSMLSayAs:
		dst = append(dst, "<say-as"...)
		dst = appendStrAttr(dst, "interpret-as", string(s.InterpretAs))
		dst = appendStrAttr(dst, "format", string(s.Format))
		return appendTextEnd(dst, "say-as", s.Text)
	case SSMLSub:
		dst = append(dst, "<sub"...)
		dst = appendStrAttr(dst, "alias", s.Alias)
		return appendTextEnd(dst, "sub", s.Text)
	case SSMLW:
		dst = append(dst, "<w"...)
		dst = appendStrAttr(dst, "role", string(s.Role))
		return appendTextEnd(dst, "w", s.Text)
	case SSMLAmazonEffect:
		dst = append(dst, "<amazon:effect"...)
		dst = appendStrAttr(dst, "name", string(s.Name))
		return appendSpeechEnd(dst, "amazon:effect", s.Content)
	}
	return dst
}

// appendSpeechEnd closes a start tag and appends content and the end tag,
// or makes the tag self-closing when the content writes nothing.
func appendSpeechEnd(dst []byte, name string, content []Speech) []byte {
	start := len(dst)
	dst = appendSpeech(append(dst, '>'), content)
	return appendEnd(dst, start, name)
}

// appendBreakTime appends a break's time in whole milliseconds, rounded
// away from zero, as "1500ms", or as "3s" when that is whole seconds.
func appendBreakTime(dst []byte, d time.Duration) []byte {
	if d == 0 {
		return dst
	}
	dst = append(dst, ` time="`...)
	ms := roundUp(d, time.Millisecond)
	if ms%1000 == 0 {
		dst = strconv.AppendInt(dst, ms/1000, 10)
		dst = append(dst, 's')
	} else {
		dst = strconv.AppendInt(dst, ms, 10)
		dst = append(dst, "ms"...)
	}
	return append(dst, '"')
}
