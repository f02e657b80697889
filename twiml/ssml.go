package twiml

import "time"

// Speech is one piece of a [Say]'s SSML content: plain words ([SSMLText])
// or an SSML element. The interface is sealed: only this package's types
// implement it. Elements that hold Content nest other Speech; the others
// hold plain Text.
type Speech interface {
	speech()
}

// SSMLText is plain words inside a [Say]'s Content or an SSML element.
type SSMLText string

// SSMLBreak is a pause in speech (the <break> element).
type SSMLBreak struct {
	Strength BreakStrength // strength; "" leaves the voice's default (medium)
	Time     time.Duration // time: written in whole milliseconds, or whole seconds when it is one; 0 omits it; at most MaxBreak
}

// SSMLEmphasis speaks its content with emphasis (the <emphasis> element).
type SSMLEmphasis struct {
	Level   EmphasisLevel // level; "" leaves the voice's default (moderate)
	Content []Speech
}

// SSMLLang speaks its content in another language (the <lang> element).
type SSMLLang struct {
	Lang    string // xml:lang: a language tag such as "fr-FR"; required
	Content []Speech
}

// SSMLP is a paragraph (the <p> element).
type SSMLP struct {
	Content []Speech
}

// SSMLPhoneme speaks Text as the phonetic symbols in Ph (the <phoneme>
// element).
type SSMLPhoneme struct {
	Alphabet PhonemeAlphabet // alphabet; "" leaves the voice's default
	Ph       string          // ph: the pronunciation; required
	Text     string
}

// SSMLProsody changes the volume, rate or pitch of its content (the
// <prosody> element).
type SSMLProsody struct {
	Volume  string // volume: default, silent, x-soft, soft, medium, loud, x-loud, or a change such as "+6dB" or "-3.5dB"
	Rate    string // rate: x-slow, slow, medium, fast, x-fast, or a percentage such as "85%"
	Pitch   string // pitch: default, x-low, low, medium, high, x-high, or a change such as "+5%" or "-10%"
	Content []Speech
}

// SSMLS is a sentence (the <s> element).
type SSMLS struct {
	Content []Speech
}

// SSMLSayAs speaks Text as a kind of value, such as digits one by one (the
// <say-as> element).
type SSMLSayAs struct {
	InterpretAs InterpretAs // interpret-as; required
	Format      DateFormat  // format: the order of a date's parts; only with InterpretAsDate
	Text        string
}

// SSMLSub speaks Alias in place of Text (the <sub> element).
type SSMLSub struct {
	Alias string // alias; required
	Text  string
}

// SSMLW speaks Text as the part of speech or sense in Role (the <w>
// element).
type SSMLW struct {
	Role WordRole // role; "" omits it
	Text string
}

// SSMLAmazonEffect speaks its content with an Amazon Polly effect (the
// <amazon:effect> element).
type SSMLAmazonEffect struct {
	Name    AmazonEffect // name; required
	Content []Speech
}

// MaxBreak is the longest pause an [SSMLBreak] may ask for.
const MaxBreak = 10 * time.Second

// BreakStrength is the length of an [SSMLBreak] given as a strength.
type BreakStrength string

// The strengths SSML defines.
const (
	BreakNone    BreakStrength = "none"
	BreakXWeak   BreakStrength = "x-weak"
	BreakWeak    BreakStrength = "weak"
	BreakMedium  BreakStrength = "medium"
	BreakStrong  BreakStrength = "strong"
	BreakXStrong BreakStrength = "x-strong"
)

// EmphasisLevel is how strongly an [SSMLEmphasis] stresses its content.
type EmphasisLevel string

// The levels SSML defines.
const (
	EmphasisStrong   EmphasisLevel = "strong"
	EmphasisModerate EmphasisLevel = "moderate"
	EmphasisReduced  EmphasisLevel = "reduced"
)

// PhonemeAlphabet is the alphabet of an [SSMLPhoneme]'s Ph.
type PhonemeAlphabet string

// The alphabets Twilio's voices accept.
const (
	AlphabetIPA            PhonemeAlphabet = "ipa"
	AlphabetXSAMPA         PhonemeAlphabet = "x-sampa"
	AlphabetAmazonJyutping PhonemeAlphabet = "x-amazon-jyutping"
	AlphabetAmazonPinyin   PhonemeAlphabet = "x-amazon-pinyin"
	AlphabetAmazonPronKana PhonemeAlphabet = "x-amazon-pron-kana"
	AlphabetAmazonYomigana PhonemeAlphabet = "x-amazon-yomigana"
)

// InterpretAs is the kind of value an [SSMLSayAs] speaks.
type InterpretAs string

// The kinds Twilio's voices accept.
const (
	InterpretAsCharacter InterpretAs = "character"
	InterpretAsSpellOut  InterpretAs = "spell-out"
	InterpretAsCardinal  InterpretAs = "cardinal"
	InterpretAsNumber    InterpretAs = "number"
	InterpretAsOrdinal   InterpretAs = "ordinal"
	InterpretAsDigits    InterpretAs = "digits"
	InterpretAsFraction  InterpretAs = "fraction"
	InterpretAsUnit      InterpretAs = "unit"
	InterpretAsDate      InterpretAs = "date"
	InterpretAsTime      InterpretAs = "time"
	InterpretAsAddress   InterpretAs = "address"
	InterpretAsExpletive InterpretAs = "expletive"
	InterpretAsTelephone InterpretAs = "telephone"
)

// DateFormat is the order of the parts of a date an [SSMLSayAs] speaks.
type DateFormat string

// The formats Twilio's voices accept.
const (
	DateMDY      DateFormat = "mdy"
	DateDMY      DateFormat = "dmy"
	DateYMD      DateFormat = "ymd"
	DateMD       DateFormat = "md"
	DateDM       DateFormat = "dm"
	DateYM       DateFormat = "ym"
	DateMY       DateFormat = "my"
	DateD        DateFormat = "d"
	DateM        DateFormat = "m"
	DateY        DateFormat = "y"
	DateYYYYMMDD DateFormat = "yyyymmdd"
)

// WordRole is the part of speech or sense an [SSMLW] gives its word.
type WordRole string

// The roles Twilio's voices accept.
const (
	RoleVerb        WordRole = "amazon:VB"
	RolePastTense   WordRole = "amazon:VBD"
	RoleDeterminer  WordRole = "amazon:DT"
	RolePreposition WordRole = "amazon:IN"
	RoleAdjective   WordRole = "amazon:JJ"
	RoleNoun        WordRole = "amazon:NN"
	RoleSense1      WordRole = "amazon:SENSE_1"
)

// AmazonEffect is the effect an [SSMLAmazonEffect] applies.
type AmazonEffect string

// The effects Twilio's Polly voices accept.
const (
	EffectWhispered AmazonEffect = "whispered"
	EffectDRC       AmazonEffect = "drc" // dynamic range compression
)

func (SSMLText) speech()         {}
func (SSMLBreak) speech()        {}
func (SSMLEmphasis) speech()     {}
func (SSMLLang) speech()         {}
func (SSMLP) speech()            {}
func (SSMLPhoneme) speech()      {}
func (SSMLProsody) speech()      {}
func (SSMLS) speech()            {}
func (SSMLSayAs) speech()        {}
func (SSMLSub) speech()          {}
func (SSMLW) speech()            {}
func (SSMLAmazonEffect) speech() {}
