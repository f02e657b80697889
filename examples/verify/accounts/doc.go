// Package accounts is the verification backend of the example service
// examples/verify: it receives a caller's date of birth and PIN sealed by
// the IVR, opens them with the service's key, and answers whether they
// match a customer.
//
// It answers only requests the IVR signed (flow/backend's Verifier), opens
// each value bound to its field and call (flow.WithBoundValues on the IVR),
// limits wrong guesses per caller's number and date of birth, and logs one
// line a request that names the outcome and never a value.
//
// The answers, for the IVR's flow/backend Finish:
//
//	200 {"customer":"C-1001"}   the values match a customer
//	404 No match                they match no one (a decline)
//	429 Too many attempts       the guess limit locks this number and date (a decline too)
//	400                         a body or value that does not open
//	401                         unsigned, or signed with another secret
package accounts
