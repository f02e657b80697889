package twiml

// Validate reports every value in r that Twilio would refuse, each as an
// [*Error] naming the verb and attribute; the result matches [ErrInvalid].
// It returns nil when r is valid.
func (r *Response) Validate() error {
	panic("twiml: TODO")
}
