// Package studio takes the sensitive part of a Twilio Studio flow out of
// Studio and back: a flow.Flow mounted where a TwiML Redirect widget
// points asks the caller, and its Finish sends the call back to the
// widget with nothing but an outcome and the plain results the service
// declares.
//
// Studio keeps each execution's context, the values its Gather widgets
// collected among them, and its logs for 30 days, for anyone with console
// access to read. Twilio's advice, "Hiding PII/PCI from Studio"
// (https://www.twilio.com/en-us/blog/hiding-pii-phi-from-studio), is to
// leave Studio with a TwiML Redirect widget for the sensitive part,
// collect it in TwiML of one's own, and return with only a non-sensitive
// result. The widget is described at
// https://www.twilio.com/docs/studio/widget-library/twiml-redirect:
//
//   - Studio prints a <Redirect>, and Twilio Voice then requests the
//     widget's URL (method POST by default) as an ordinary voice webhook,
//     signed with X-Twilio-Signature. Values from Studio go in that URL's
//     query string ("?lang={{flow.variables.lang}}"), which the signature
//     covers; flow.WithEntryParams reads the declared ones.
//   - To return, the TwiML redirects to
//     https://webhooks.twilio.com/v1/Accounts/{AccountSid}/Flows/{FlowSid}?FlowEvent=return
//     (ReturnURL); any other query parameters become
//     {{widgets.<widget>.<name>}} in the flow's context. The widget's
//     transitions are "return", "timeout" (its timeout is 0 to 14,400
//     seconds) and "fail".
//
// # Returning
//
// New takes the Studio flow's SID, the steps of the flow.Flow and the
// names of the parameters that may go back, and refuses a name that is a
// sensitive step's name or field. Return.Finish answers every ending of
// the call that can still answer with a <Redirect method="POST"> to the
// return URL, for the AccountSid of the signed request, carrying
// "outcome" (see Outcome) and the declared results. Studio's widget
// branches on {{widgets.<widget>.outcome}} after its "return" transition.
//
// The flow must be built with flow.WithEveryEnding (FlowOptions returns
// it), or its endings short of the flow's end (a step given up on, a
// caller who pressed the interrupt key) say the goodbye and hang up
// instead of returning to Studio. A caller who hangs up cannot be
// returned: the call is gone.
//
// # Security
//
// What goes back to Studio is kept by Studio for 30 days, so it must not
// be sensitive. At run time Return.Finish refuses a result that is, or
// contains, a sealed value of the call or any run of 24 or more hex or
// base64 characters (a sealed value, a key, a token), or is longer than
// MaxValueLen: the call returns with outcome "failed" and none of the
// results, and the flow logs which result was refused, never its value.
// The check cannot know a digit string the service chose to return
// itself: return a reference, a card brand, the last four digits, never
// a PIN.
package studio
