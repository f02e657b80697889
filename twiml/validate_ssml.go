package twiml

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// speech reports problems in a Say's SSML content and returns how many
// characters of text it holds.
func (v *validator) speech(content []Speech, n int) int {
	for i, s := range content {
		n = v.speechNode(i, s, n)
	}
	return n
}

// speechNode reports problems in the i-th piece of SSML content; n counts
// the characters of text so far.
func (v *validator) speechNode(i int, s Speech, n int) int {
	switch x := s.(type) {
	case SSMLText:
		return n + v.ssmlText("Say", string(x))
	case SSMLBreak:
		oneOf(v, "break", "strength", x.Strength, BreakNone, BreakXWeak, BreakWeak, BreakMedium, BreakStrong, BreakXStrong)
		if x.Time < 0 || x.Time > MaxBreak {
			v.add("break", "time", "must be from 0s to "+MaxBreak.String())
		}
	case SSMLEmphasis:
		oneOf(v, "emphasis", "level", x.Level, EmphasisStrong, EmphasisModerate, EmphasisReduced)
		return v.speech(x.Content, n)
	case SSMLLang:
		v.required("lang", "xml:lang", x.Lang, "")
		return v.speech(x.Content, n)
	case SSMLP:
		return v.speech(x.Content, n)
	case SSMLPhoneme:
		oneOf(v, "phoneme", "alphabet", x.Alphabet, AlphabetIPA, AlphabetXSAMPA, AlphabetAmazonJyutping,
			AlphabetAmazonPinyin, AlphabetAmazonPronKana, AlphabetAmazonYomigana)
		v.required("phoneme", "ph", x.Ph, "")
		return n + v.ssmlText("phoneme", x.Text)
	case SSMLProsody:
		v.prosody(&x)
		return v.speech(x.Content, n)
	case SSMLS:
		return v.speech(x.Content, n)
	case SSMLSayAs:
		v.sayAs(&x)
		return n + v.ssmlText("say-as", x.Text)
	case SSMLSub:
		v.required("sub", "alias", x.Alias, "")
		return n + v.ssmlText("sub", x.Text)
	case SSMLW:
		oneOf(v, "w", "role", x.Role, RoleVerb, RolePastTense, RoleDeterminer, RolePreposition, RoleAdjective,
			RoleNoun, RoleSense1)
		return n + v.ssmlText("w", x.Text)
	case SSMLAmazonEffect:
		if x.Name == "" {
			v.add("amazon:effect", "name", "is required")
		}
		oneOf(v, "amazon:effect", "name", x.Name, EffectWhispered, EffectDRC)
		return v.speech(x.Content, n)
	case nil:
		v.add("Say", "", "content "+strconv.Itoa(i)+" is nil")
	default:
		v.add("Say", "", "content "+strconv.Itoa(i)+" is a pointer; SSML elements are values")
	}
	return n
}

// ssmlText reports text XML cannot carry and returns its length in
// characters.
func (v *validator) ssmlText(element, s string) int {
	if !validXML(s) {
		v.add(element, "", "text has a character XML cannot carry")
	}
	return utf8.RuneCountInString(s)
}

func (v *validator) sayAs(s *SSMLSayAs) {
	if s.InterpretAs == "" {
		v.add("say-as", "interpret-as", "is required")
	}
	oneOf(v, "say-as", "interpret-as", s.InterpretAs, InterpretAsCharacter, InterpretAsSpellOut,
		InterpretAsCardinal, InterpretAsNumber, InterpretAsOrdinal, InterpretAsDigits, InterpretAsFraction,
		InterpretAsUnit, InterpretAsDate, InterpretAsTime, InterpretAsAddress, InterpretAsExpletive,
		InterpretAsTelephone)
	if s.Format != "" && s.InterpretAs != InterpretAsDate {
		v.add("say-as", "format", "is only for interpret-as date")
	}
	oneOf(v, "say-as", "format", s.Format, DateMDY, DateDMY, DateYMD, DateMD, DateDM, DateYM, DateMY,
		DateD, DateM, DateY, DateYYYYMMDD)
}

// prosody reports a volume, rate or pitch that is neither one of its words
// nor a number with its unit.
func (v *validator) prosody(p *SSMLProsody) {
	if p.Volume != "" && !oneWord(p.Volume, "default", "silent", "x-soft", "soft", "medium", "loud", "x-loud") &&
		!signedNumber(p.Volume, "dB") {
		v.add("prosody", "volume", "must be a volume word or a change in dB such as +6dB")
	}
	if p.Rate != "" && !oneWord(p.Rate, "x-slow", "slow", "medium", "fast", "x-fast") &&
		!signedNumber(p.Rate, "%") {
		v.add("prosody", "rate", "must be a rate word or a percentage such as 85%")
	}
	if p.Pitch != "" && !oneWord(p.Pitch, "default", "x-low", "low", "medium", "high", "x-high") &&
		!signedNumber(p.Pitch, "%") {
		v.add("prosody", "pitch", "must be a pitch word or a change in percent such as -10%")
	}
}

func oneWord(s string, words ...string) bool {
	for _, w := range words {
		if s == w {
			return true
		}
	}
	return false
}

// signedNumber reports whether s is a decimal number, with an optional
// leading + or -, followed by unit. Amazon Polly's own examples write a
// rate as "-10%", so the sign is allowed on every prosody value.
func signedNumber(s, unit string) bool {
	num, ok := strings.CutSuffix(s, unit)
	if !ok {
		return false
	}
	if num != "" && (num[0] == '+' || num[0] == '-') {
		num = num[1:]
	}
	whole, frac, _ := strings.Cut(num, ".")
	return allDigits(whole) && (frac == "" && !strings.HasSuffix(num, ".") || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
