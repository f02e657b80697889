package recording

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/twilio/twilio-go/client"

	"github.com/encgather/encgather/flow"
)

// codeNotFound is Twilio's error code for "The requested resource ... was
// not found" (https://www.twilio.com/docs/errors/20404).
const codeNotFound = 20404

// confirm accepts an answer the REST client took for a success only if it
// confirms the update: a 2xx status whose body gives the recording the
// status asked for. The REST client returns 3xx answers as successes ("3XX
// response codes are allowed for fetches", twilio-go client.doWithErr) and
// decodes any JSON body, so neither a redirect nor a 2xx with another or
// no status counts as paused or resumed.
func confirm(op string, httpStatus int, got *string, want string) error {
	if httpStatus < 200 || httpStatus > 299 {
		return fmt.Errorf("%w: %s: Twilio answered status %d", ErrUpdate, op, httpStatus)
	}
	if got == nil || *got != want {
		// The status Twilio gave is not quoted: it is not ours to trust.
		return fmt.Errorf("%w: %s: Twilio's answer does not say the recording is %s", ErrUpdate, op, want)
	}
	return nil
}

// classify turns the REST client's error into ours. Twilio's error
// messages name the call and the recording, never a caller's input.
//
// Twilio has no error code of its own for "this call has no active
// recording": neither the Recording resource's reference
// (https://www.twilio.com/docs/voice/api/recording) nor its error list
// names one. Updating Twilio.CURRENT of a call without one answers HTTP 404
// with the generic code 20404, "The requested resource ... was not found"
// (https://www.twilio.com/docs/errors/20404), which is also the answer for
// a call that does not exist or belongs to another account. Only that
// exact pair, status 404 and code 20404 in Twilio's error body (twilio-go
// keeps no other status of an error answer), is read as no active
// recording, and it can be read so only because the other causes are ruled
// out before the request: the CallSid comes from a webhook Twilio signed,
// and a flow refuses a webhook whose AccountSid is not the Client's
// Account. Anything else (a 404 with another code or a body that is not
// Twilio's error, code 20404 under another status, an error in Twilio's
// newer format) is a failure: what cannot be told apart fails closed.
func classify(op string, err error) error {
	var rest *client.TwilioRestError
	if errors.As(err, &rest) {
		if rest.Status == http.StatusNotFound && rest.Code == codeNotFound {
			return fmt.Errorf("recording: %s: %w", op, flow.ErrNoActiveRecording)
		}
		return fmt.Errorf("%w: %s: Twilio answered status %d, error code %d", ErrUpdate, op, rest.Status, rest.Code)
	}
	return fmt.Errorf("%w: %s: %w", ErrUpdate, op, err)
}
