// Package flow runs a Twilio voice call as a sequence of keypad questions,
// sealing each sensitive answer the moment it arrives: with AES-256-GCM
// under the master key by default, or with any Sealer (WithSealer).
//
// A Flow is an http.Handler that a service mounts on its own mux. On every
// webhook request it checks Twilio's X-Twilio-Signature, opens the call's
// state, checks the caller's digits, seals them, and answers with the next
// <Gather>. After the last step it hands the sealed values to the service's
// Finish (package flow/backend has one that posts them to a backend) and
// says the result.
//
//	steps := []flow.Step{
//		{Name: "card", Field: "encryptedCardDigits", Digits: flow.Exactly(4),
//			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter the last 4 digits of your card."}}},
//		{Name: "pin", Field: "encryptedPinDigits", Digits: flow.Exactly(4),
//			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter your PIN."}}},
//	}
//	finish, err := backend.New(backend.Config{URL: backendURL, Signing: secret, OnSuccess: sayAccount})
//	...
//	ivr, err := flow.New(cipher, authToken, steps, finish,
//		flow.WithPublicURL("https://ivr.example.com"))
//	mux.Handle("/encrypted-gather", ivr)
//
// # State
//
// A flow keeps nothing between requests. Each <Gather> action URL carries
// the step it asks ("step") and one sealed token ("state") holding the
// attempt count, the sealed fields gathered so far and the time it was
// issued. The token is sealed with a key derived from the master key (HKDF)
// and bound to the call's CallSid, the step and the flow's definition (each
// step's name, field name, sensitivity and digit limits), so it cannot be
// forged, moved to another call, replayed at another step or read by a
// deploy that gives its fields another meaning, and it expires after a
// maximum age (DefaultMaxAge). Tokens are decoded strictly: each has one
// spelling. Any number of replicas
// sharing the key and the auth token serve one call between them.
//
// # Security
//
// The digits a caller types exist in the clear only within the one request
// that carries them: they are never written to a URL, a TwiML document, a
// log line (at any level), an error or an HTTP response. A request without a
// valid signature gets 403 and runs nothing; a body the signature does not
// cover (see Validator.Check) counts as unsigned. A tampered, foreign or
// expired state, an unknown step, a value that could not be sealed or a
// panic in the service's code gets a spoken apology and <Hangup> (Twilio turns any non-2xx answer into "an
// application error has occurred") and a warning or error log line.
//
// What the flow cannot protect: anyone holding the master key can open the
// sealed values; Twilio's own call logs keep Digits unless the account's
// PCI mode is on; a call recording keeps the key tones, unless the flow
// pauses it (see Call recordings).
//
// # Single use
//
// Every state token answers once. When a request's token has opened and is
// within its age, the flow claims it in a Store; any later request with
// the same token is refused with the apology and a warning (outcome
// "replayed"), so a captured request replayed later never gets an answer
// of its own, calls the backend or touches the recording again. A step
// that changes nothing outside its request (it gathers, checks, seals and
// asks the next step) claims the token and saves its answer in one call
// to a store that can (a ClaimSaver, as both of this module's stores
// are): one round trip to a shared store per step. A step that runs
// Finish, pauses or resumes the recording, or keeps a value off the URL
// claims first, then does so, and saves its answer after writing it.
//
// A retry is not a replay: Twilio sends a webhook again when the
// first attempt failed, and the same request (same token, same signed
// parameters) arriving within the retry window (DefaultRetryWindow,
// WithRetryWindow) gets the very bytes it got the first time, without the
// step running again (outcome "retried"); WithRetriedFinishAnswer gives a
// retried Finish neutral verbs instead. What the store keeps for that is
// the answer sealed with the state key, under the token's GCM tag
// (TokenID), for the retry window only; the bare claim lasts as long as
// the token could be answered (its own expiry, sized from its step). A
// retry is recognized by its X-Twilio-Signature, which covers all that
// Twilio signed: the hash of it is kept inside the sealed answer.
//
// A call's first request carries no token, and answers once too: it is
// claimed under its signature's hash, so Twilio's retry of it gets the
// first answer again and a later copy the apology, without asking or
// pausing anything; a new entry with parameters of its own (a Studio flow
// looping back) starts afresh.
//
// By default a Flow keeps its claims in a MemoryStore of its own, which
// protects one replica. Replicas behind a load balancer must share a store
// (WithStore, such as package flow/redisstore), or a request replayed to
// another replica would be served there. When the store cannot answer, the
// flow fails closed: the apology and an error log line (outcome
// "store_failed"), unless InsecureStoreFailOpen. Flow.Ready asks a store
// that can tell whether it is ready, for a readiness probe.
//
// What single use cannot protect: a store that loses its claims (a Redis
// restarted without persistence) lets each token answered before the loss
// be used once more within its life; a call's first request replayed after
// the flow's maximum age is a new entry again.
//
// # Time
//
// A request's work that may wait (polling for a retry's first answer, the
// recording pauser with its retries, Finish) shares one budget under
// Twilio's 15 s webhook timeout (WithRequestBudget). A Finish that overruns
// it is left to end in the background with its context cancelled; the
// caller hears the apology.
//
// # Call recordings
//
// With WithRecordingPause, a flow pauses the call's active recording before
// it asks a sensitive step, and resumes it once the value is sealed, as
// Twilio's <Pay> does. The pausing is done by a RecordingPauser: package
// flow/recording has one that calls Twilio's REST API, and is the only
// package that imports twilio-go. The state token says whether the
// recording is paused, so a retry keeps it paused and a sensitive step
// after a plain one pauses it again. A call with no recording is normal; a
// pause that Twilio does not confirm ends the call politely unless the flow
// has InsecureRecordingFailOpen. A request whose AccountSid is not the
// pauser's account is refused before anything is asked. Each request calls
// the pauser at most once, and waits for it.
//
// # Key rotation
//
// The master aescrypt.Cipher may hold older keys after the primary. States,
// and values unless WithSealer is given, are sealed with the primary and
// opened with any, so a call that spans a rotation carries on.
//
// # Entering from Twilio Studio
//
// A TwiML Redirect widget of Twilio Studio sends a call to a flow as an
// ordinary signed webhook, with Studio's values in the URL's query string
// ("?lang={{flow.variables.lang}}"), which the signature covers.
// WithEntryParams names the ones the flow keeps, sealed in its state, for
// Call.Fact and Result.Facts; the rest are ignored. Package flow/studio
// sends the call back. Studio may send one call in more than once: each
// entry whose parameters differ starts afresh, and the same entry again is
// a replay (see WithEntryParams).
//
// # Values kept off the URL
//
// Twilio keeps every action URL in its request logs. A sealed value is
// safe there, but PCI DSS forbids keeping a card's security code after
// authorization even encrypted, and a post-quantum Sealer's values make
// long URLs. A step with OffURL keeps its sealed value in a ValueStore
// (WithValueStore) under a random Reference, which is all its token
// carries; Finish reads it back, and the flow deletes it once the call
// ends.
//
// # Ending a call
//
// Finish receives the sealed values (Result) and answers the caller.
// Package flow/backend posts them as JSON to a backend, signed so that the
// backend knows they come from the IVR, and tells a decline (no match)
// from a failure. With WithBoundValues each value is sealed with
// AdditionalData(field, CallSid), so a backend that opens it with the same
// refuses a value moved to another field or call.
package flow
