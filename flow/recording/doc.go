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
// (DefaultTimeout), and follows no redirect.
package recording
