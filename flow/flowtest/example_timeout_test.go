package flowtest_test

import (
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
)

// A webhook slower than Twilio's timeout is an application error for the
// caller. A short Timeout keeps the test fast.
func ExampleCaller_timeout() {
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // Twilio gave up on the request
	})
	c := flowtest.NewCaller(slow, "https://ivr.example.com/voice", "auth-token")
	c.Timeout = 10 * time.Millisecond
	call := c.Call()
	fmt.Print(call.Transcript())
	fmt.Println(call.End, errors.Is(call.Err, flowtest.ErrTimeout))
	// Output:
	// Say: We're sorry, an application error has occurred. Goodbye.
	// error true
}

// With RetryTimedOut, Twilio's one retry of a timed-out request is sent,
// with the same signature, and its answer used.
func ExampleCaller_retryTimedOut() {
	var requests atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 {
			<-r.Context().Done() // the first attempt takes too long
			return
		}
		fmt.Fprint(w, `<Response><Say>Hello.</Say></Response>`)
	})
	c := flowtest.NewCaller(h, "https://ivr.example.com/voice", "auth-token")
	c.Timeout, c.RetryTimedOut = 200*time.Millisecond, true
	call := c.Call()
	fmt.Print(call.Transcript())
	first, retry := call.Requests[0], call.Requests[1]
	fmt.Println(first.TimedOut, retry.TimedOut, first.Signature == retry.Signature)
	// Output:
	// Say: Hello.
	// true false true
}
