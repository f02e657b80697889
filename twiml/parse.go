package twiml

// MaxDocumentSize is the longest document Parse reads, in bytes: Twilio's
// own limit on a TwiML response.
const MaxDocumentSize = 64 << 10

// MaxDepth is the deepest nesting of elements Parse reads: Response, Gather,
// and a verb inside the Gather.
const MaxDepth = 3

// Parse reads a voice TwiML document.
func Parse(data []byte) (*Response, error) {
	panic("twiml: TODO")
}
