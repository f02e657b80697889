// Package recording pauses and resumes Twilio call recordings through
// Twilio's REST API, so that a recorded call does not keep the key tones of
// a sensitive entry. A Client plugs into a flow with flow.WithRecordingPause.
//
// It is the one package of this module that imports twilio-go: a service
// that does not pause recordings does not compile it.
//
// # Security
//
// A Client holds the account's auth token or an API key secret; no way of
// printing it (fmt, slog, JSON) shows the secret. Each REST request runs
// within the webhook request that needs it, bounded by a timeout
// (DefaultTimeout) and by the webhook's context, and follows no redirect.
//
// # Rate limits
//
// Twilio refuses REST requests beyond an account's concurrency limit with
// 429 (error 20429), and may answer 503 when busy. Setting a recording's
// status is idempotent, so an update refused so, or whose connection
// failed before the request was written, is tried again after a jittered
// wait that doubles each time (WithRetryBackoff; a Retry-After in the
// answer is honoured within its bounds), for as long as the retry budget
// (WithRetryBudget, DefaultRetryBudget) and the webhook's context allow.
// Any other answer is final at once, and an update that runs out of time
// fails, so a pause still fails closed.
//
// Only a confirmed answer counts: Pause succeeds when Twilio answers 2xx
// with the recording's status "paused", Resume when it answers 2xx with
// "in-progress"; a redirect, or a 2xx that says anything else, is an
// error. Twilio has no error of its own for a call without an active
// recording: it answers 404 with its generic code 20404, as for a call it
// cannot find in the account. The Client reads that answer, and only that
// one, as flow.ErrNoActiveRecording, which is sound because a flow first
// refuses webhooks from any account but the Client's (Client.Account).
package recording
