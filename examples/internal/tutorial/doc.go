// Package tutorial holds what the example programs share: the sentences,
// steps and backend of Twilio's "Protect Twilio Voice Input with Encryption
// and Redaction" tutorial, in Go and wire-compatible with its Node.js
// functions.
package tutorial
