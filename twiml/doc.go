// Package twiml builds, renders and parses TwiML for Twilio Programmable
// Voice: a Response holding the verbs Say, Play, Pause, Gather, Redirect,
// Hangup, Reject, Dial and Enqueue.
//
// Verbs are plain values, never pointers, and their attributes are typed:
// counts are ints, times are [time.Duration], enumerations are named string
// types such as [InputDTMF] and [MethodPOST], lists such as a status
// callback's events are slices. A zero field is left out of the output, so
// Twilio applies its own default.
//
// Nesting rules live in the types: only [Say], [Play] and [Pause] implement
// [GatherVerb], so nothing else compiles inside a [Gather]; a [Dial] holds
// [DialNoun]s ([Number], [Client], [Sip], [Conference], [Queue]) and no
// verb; a Say's SSML content is [Speech] ([SSMLText], [SSMLBreak],
// [SSMLSayAs], ...). What Go cannot express, such as "a Conference must be
// a Dial's only noun", [Response.Validate] reports.
//
// # Ending the flow
//
// A gather flow ends by hanging up ([Hangup]), or by handing the caller on:
// to a person or a phone number ([Dial]), or to a queue ([Enqueue]).
// [EndsCall] reports whether a verb does one of these, so that code adding
// verbs after a step's answer knows the document's conversation is over.
//
// # Rendering
//
// [Response.AppendXML], [Response.WriteTo], [Response.String] and [WriteHTTP]
// write the declaration <?xml version="1.0" encoding="UTF-8"?> followed by the
// document, with no whitespace between elements. [WriteHTTP] also sets
// Content-Type and Content-Length. Rendering a response allocates nothing
// when the buffer has room. The same value always renders to the same bytes:
//
//   - Attributes are written in the order their fields are declared in the
//     verb's struct (for Gather: input, action, method, timeout, numDigits,
//     finishOnKey, actionOnEmptyResult, speechTimeout, language, hints,
//     speechModel, profanityFilter, partialResultCallback,
//     partialResultCallbackMethod, maxSpeechTime, bargeIn, debug, enhanced).
//   - An element whose content writes nothing is written self-closing, as in
//     <Hangup/>.
//   - Text escapes &, < and > and a carriage return; attribute values also
//     escape the double quote, tab and line feed, so that an XML reader gives
//     back exactly the string that was written. Element names are constants,
//     so no text, not even a Say's SSML content, can open an element.
//   - Invalid UTF-8 and characters XML 1.0 cannot carry (most control
//     characters, U+FFFE, U+FFFF) are written as U+FFFD. Rendering never
//     fails; [Response.Validate] reports such values.
//   - Durations are written as whole seconds (or whole milliseconds, for the
//     attributes Twilio counts in milliseconds), rounded away from zero:
//     1500ms is written as 2 and 1ns as 1, so a set duration is never
//     written as 0. An [SSMLBreak] is written as "500ms", or "2s" when that
//     is whole seconds.
//   - A Loop of [LoopForever] is written loop="0" (repeat until the call
//     ends); a Gather's [SpeechTimeoutAuto] is written speechTimeout="auto";
//     [NoFinishOnKey] is written finishOnKey=""; a [Conference]'s SilentWait
//     is written waitUrl="".
//   - A Say writes its Text, then its SSML Content; a Dial its PhoneNumber,
//     then its nouns; an Enqueue its Name, then its Task.
//
// A nil verb, or a pointer to a verb, renders nothing; Validate reports it.
//
// # Validation
//
// [Response.Validate] reports every value Twilio would refuse, each as an
// [*Error] naming the verb (or noun, or SSML element) and attribute and
// matching [ErrInvalid] with [errors.Is]. Errors never quote a verb's text
// or an attribute's value.
//
// # Parsing
//
// [Parse] reads a voice TwiML document into the same types: everything the
// renderer writes, and hand-written TwiML with whitespace between elements,
// comments, attributes in either kind of quotes and XML entities. An unknown
// verb, noun, SSML element or attribute, an element in a place Twilio does
// not allow it, or a value that is not of its attribute's type is an error
// naming it. Input is bounded by [MaxDocumentSize] and [MaxDepth]. Parse
// keeps text exactly as written, including surrounding whitespace (but
// drops whitespace between a Dial's nouns or around an Enqueue's Task), so
// render, parse, render gives the same bytes.
package twiml
