package flowtest

import "strings"

// HangUp is an entry that hangs up at a <Gather> instead of answering it.
// The Gather's action is posted with CallStatus "completed", as Twilio
// posts it when the call ends at a <Gather>: with the keys before HangUp
// in the same entry ("12" + HangUp) as Digits, and without Digits when
// there are none. The answer is recorded and not followed. The call ends
// with EndCallerHangup.
const HangUp = "(hang up)"

// speechMark starts an entry made by Speech. No key is '(' so no entry of
// keys can start with it.
const speechMark = "(says) "

// Speech returns an entry in which the caller says text: a <Gather> whose
// input includes speech posts it as SpeechResult (with a Confidence); a
// keys-only <Gather> hears silence.
func Speech(text string) string { return speechMark + text }

// entry is one scripted answer to a <Gather>, read.
type entry struct {
	keys    string // keys typed, or ""
	speech  string // words said, or ""
	spoken  bool   // the entry is speech
	hangsUp bool   // the caller hangs up after keys
}

func parseEntry(s string) entry {
	if text, ok := strings.CutPrefix(s, speechMark); ok {
		return entry{speech: text, spoken: true}
	}
	keys, hangsUp := strings.CutSuffix(s, HangUp)
	return entry{keys: keys, hangsUp: hangsUp}
}
