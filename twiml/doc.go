// Package twiml builds, renders and parses TwiML for Twilio Programmable
// Voice: a Response holding Say, Play, Pause, Gather, Redirect, Hangup and
// Reject verbs.
//
// Verbs are plain values whose attributes are typed: counts are ints, times
// are [time.Duration], enumerations are named string types such as
// [InputDTMF] and [MethodPOST]. A zero field is left out of the output, so
// Twilio applies its own default. Only [Say], [Play] and [Pause] implement
// [GatherVerb], so the compiler keeps every other verb out of a [Gather].
//
// # Rendering
//
// [Response.AppendXML], [Response.WriteTo], [Response.String] and [WriteHTTP]
// write the declaration <?xml version="1.0" encoding="UTF-8"?> followed by the
// document, with no whitespace between elements. The same value always
// renders to the same bytes:
//
//   - Attributes are written in the order their fields are declared in the
//     verb's struct (for Gather: input, action, method, timeout, numDigits,
//     finishOnKey, actionOnEmptyResult, speechTimeout, language, hints,
//     speechModel, profanityFilter, partialResultCallback,
//     partialResultCallbackMethod).
//   - A verb with no text and no nested verbs is written self-closing, as in
//     <Hangup/>.
//   - Text escapes &, < and > and a carriage return; attribute values also
//     escape the double quote, tab and line feed, so that an XML reader gives
//     back exactly the string that was written.
//   - Invalid UTF-8 and characters XML 1.0 cannot carry (most control
//     characters, U+FFFE, U+FFFF) are written as U+FFFD. Rendering never
//     fails; [Response.Validate] reports such values.
//   - Durations are written as whole seconds, rounded away from zero: 1500ms
//     is written as 2 and 1ns as 1, so a set duration is never written as 0.
//   - A Loop of [LoopForever] is written loop="0" (repeat until the call
//     ends); a Gather's [SpeechTimeoutAuto] is written speechTimeout="auto";
//     [NoFinishOnKey] is written finishOnKey="".
//
// A verb may also be given by pointer (&Say{...}); it renders as the value it
// points to, and a nil verb or nil pointer renders nothing (Validate reports
// it). Parse always returns values.
//
// # Validation
//
// [Response.Validate] reports every value Twilio would refuse, each as an
// [*Error] naming the verb and attribute and matching [ErrInvalid] with
// [errors.Is]. Errors never quote a verb's text.
//
// # Parsing
//
// [Parse] reads a voice TwiML document into the same types: everything the
// renderer writes, and hand-written TwiML with whitespace between elements,
// comments, attributes in either kind of quotes and XML entities. An unknown
// verb or attribute, a verb in a place Twilio does not allow it, or a value
// that is not of its attribute's type is an error naming it. Input is bounded
// by [MaxDocumentSize] and [MaxDepth]. Parse keeps text exactly as written,
// including surrounding whitespace, so render, parse, render gives the same
// bytes.
package twiml
