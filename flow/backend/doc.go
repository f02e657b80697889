// Package backend is a [flow.Finish] that hands a flow's sealed fields to a
// backend service as a signed JSON POST, and the verifier a Go backend
// uses to accept only what the IVR signed.
//
// [New] builds the Finish from a [Config]: the backend's URL, what to say
// on its answer ([Config.OnSuccess]), when it turns the caller away
// ([Config.Decline], for the statuses in [Config.DeclineStatuses], 404 by
// default) and when it fails ([Config.Failure]: unreachable, slow,
// garbage, any other status, an answer OnSuccess refused). A decline is a
// normal outcome: its error wraps [flow.ErrDeclined], which the flow logs
// at INFO. A failure's error wraps [ErrFailed] and is logged at ERROR.
//
// # Body
//
// The body is a JSON object of strings: each sealed field's name and hex
// value ([flow.Result.Sealed]), each Plain field's digits, the call's
// CallSid under "callSid" and the caller's number under "from" (both names
// configurable; the number may be left out). It is what the Twilio
// tutorial's Node backend reads, which ignores the names it does not know.
//
// # Signing
//
// With [Config.Signing] set, each request carries the header
//
//	X-Encgather-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// whose MAC is taken with the shared secret over the bytes
//
//	encgather-backend-v1 LF <t> LF <METHOD> LF <path[?query]> LF <body>
//
// where the path is the URL's escaped path ("/" if empty), followed by "?"
// and the raw query when there is one. A [Verifier] holding the secret
// (and the previous ones, while a new one rolls out) refuses a request
// unsigned, signed with another secret, changed in any byte of the method,
// path, timestamp or body, or whose timestamp is more than
// [DefaultMaxSkew] from its clock. Any language can check the header from
// this description; compare MACs in constant time.
//
// # Security
//
// In public-key mode ([github.com/encgather/encgather/pubseal]) a sealed value names no sender (HPKE base
// mode): anyone who has the public key can seal guesses and ask the backend
// whether a PIN is right. The signed hand-off stands in for sender
// authentication: a backend that verifies it answers only the IVR. A
// signature does not stop the IVR's own requests from being replayed
// within the allowed skew; a backend that acts on a call deduplicates on
// the CallSid, and limits wrong guesses per account and caller whatever
// signs the request.
//
// [Secret] never prints: fmt, slog and encoding/json show its ID, a short
// fingerprint. Errors quote no body, value or secret; a failure's message
// has the status code at most.
//
// # Key rotation
//
// [SecretsFromEnv] reads a variable such as BACKEND_SIGNING_SECRET (the
// newest secret, hex) and its _PREVIOUS companion (older ones,
// comma-separated). The IVR signs with the newest; a backend accepts all.
// Roll a new secret out to the backends first (as the newest there, the
// old one previous), then to the IVR, then retire the old one.
package backend
