// Package flowtest is a simulated Twilio for tests, in the manner of
// net/http/httptest: a Caller places a call against any http.Handler (or a
// URL), signs every request as Twilio does, follows the TwiML it gets back
// (Say, Play, Pause, Gather, Redirect, Hangup, Reject) and answers each
// <Gather> with a scripted entry: keys, words (Speech), or a hang-up
// (HangUp). After the call it can send the status callback. The Call it
// returns records what was said and played, every request, how the call
// ended and which entries it never used. A <Redirect> to another host
// ends the call there (EndRedirected): CallFromStudio enters a call as a
// Twilio Studio TwiML Redirect widget does, and Call.ReturnParams reads
// what the application sent back to Studio.
//
// A webhook that does not answer within Caller.Timeout (Twilio's 15
// seconds by default) is given up on as Twilio gives up on it: the
// handler's context is cancelled, the caller hears ApplicationError and
// the call ends; with Caller.RetryTimedOut the same signed request is sent
// once more first, and its answer used.
//
// It drives any TwiML application, not only package flow's, and needs no
// network or Twilio account.
package flowtest
