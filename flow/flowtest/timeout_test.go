package flowtest

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// slowIVR answers each webhook request as its script says for that
// request: "block" waits until the test releases it (or the request's
// context ends, which it records), "gather" asks for two digits, and
// "thanks" ends the call.
type slowIVR struct {
	script    []string
	release   chan struct{}
	cancelled chan struct{} // one send for each blocked handler whose context ended
	mu        sync.Mutex
	n         int
}

func newSlowIVR(t *testing.T, script ...string) *slowIVR {
	s := &slowIVR{script: script, release: make(chan struct{}), cancelled: make(chan struct{}, len(script))}
	t.Cleanup(func() { close(s.release) })
	return s
}

func (s *slowIVR) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	step := "thanks"
	if s.n < len(s.script) {
		step = s.script[s.n]
	}
	s.n++
	s.mu.Unlock()
	switch step {
	case "block":
		select {
		case <-s.release:
		case <-r.Context().Done():
			s.cancelled <- struct{}{}
			<-s.release
		}
		fmt.Fprint(w, `<Response><Say>Too late.</Say></Response>`)
	case "gather":
		fmt.Fprint(w, `<Response><Gather action="/next" numDigits="2"><Say>Two digits.</Say></Gather></Response>`)
	default:
		fmt.Fprint(w, `<Response><Say>Thanks.</Say><Hangup/></Response>`)
	}
}

func TestWebhookTimeout(t *testing.T) {
	// A blocked request times out whatever the timeout, so the cases
	// that only block use a tiny one; those where a request must answer
	// in time a longer one, which their blocked request waits out.
	const tiny, generous = 5 * time.Millisecond, 250 * time.Millisecond
	tests := []struct {
		name      string
		script    []string
		retry     bool
		timeout   time.Duration
		entries   []string
		wantEnd   End
		wantSaid  []string
		wantTimed []bool // Requests[i].TimedOut
	}{
		{"first webhook times out", []string{"block"}, false, tiny, nil,
			EndError, []string{ApplicationError}, []bool{true}},
		{"action times out mid-call", []string{"gather", "block"}, false, tiny, []string{"12"},
			EndError, []string{"Two digits.", ApplicationError}, []bool{false, true}},
		{"retry answers", []string{"block", "thanks"}, true, generous, nil,
			EndHangup, []string{"Thanks."}, []bool{true, false}},
		{"retry of the action answers", []string{"gather", "block", "thanks"}, true, generous, []string{"12"},
			EndHangup, []string{"Two digits.", "Thanks."}, []bool{false, true, false}},
		{"retry times out too", []string{"block", "block"}, true, tiny, nil,
			EndError, []string{ApplicationError}, []bool{true, true}},
		{"action after a hang-up times out", []string{"gather", "block"}, false, tiny, []string{"1" + HangUp},
			EndError, []string{"Two digits."}, []bool{false, true}},
		{"in time, no retry", []string{"thanks"}, true, generous, nil,
			EndHangup, []string{"Thanks."}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ivr := newSlowIVR(t, tt.script...)
			c := NewCaller(ivr, base+"/start", testToken)
			c.Timeout, c.RetryTimedOut = tt.timeout, tt.retry
			call := c.Call(tt.entries...)
			if call.End != tt.wantEnd {
				t.Fatalf("end %v (%v), want %v\n%s", call.End, call.Err, tt.wantEnd, call.Transcript())
			}
			if fmt.Sprint(call.Said) != fmt.Sprint(tt.wantSaid) {
				t.Errorf("said %q, want %q", call.Said, tt.wantSaid)
			}
			if got := errors.Is(call.Err, ErrTimeout); got != (tt.wantEnd == EndError) {
				t.Errorf("errors.Is(%v, ErrTimeout) = %v", call.Err, got)
			}
			if len(call.Requests) != len(tt.wantTimed) {
				t.Fatalf("%d requests, want %d", len(call.Requests), len(tt.wantTimed))
			}
			for i, want := range tt.wantTimed {
				if call.Requests[i].TimedOut != want {
					t.Errorf("request %d: TimedOut %v, want %v", i+1, call.Requests[i].TimedOut, want)
				}
			}
			for i := range countTimedOut(call) {
				select {
				case <-ivr.cancelled:
				case <-time.After(10 * time.Second):
					t.Fatalf("%d handlers saw their context cancelled, want %d", i, countTimedOut(call))
				}
			}
		})
	}
}

func countTimedOut(call *Call) int {
	n := 0
	for _, r := range call.Requests {
		if r.TimedOut {
			n++
		}
	}
	return n
}

func TestRetryIsTheSameRequest(t *testing.T) {
	ivr := newSlowIVR(t, "gather", "block", "thanks")
	c := NewCaller(ivr, base+"/start", testToken)
	c.Timeout, c.RetryTimedOut = 250*time.Millisecond, true
	call := c.Call("12")
	if len(call.Requests) != 3 {
		t.Fatalf("%d requests, want 3\n%s", len(call.Requests), call.Transcript())
	}
	first, again := call.Requests[1], call.Requests[2]
	if again.Signature == "" || again.Signature != first.Signature || again.URL != first.URL ||
		again.Method != first.Method || again.Form.Encode() != first.Form.Encode() {
		t.Errorf("retry differs:\n%+v\n%+v", first, again)
	}
	if first.StatusCode != 0 || first.Body != nil || again.StatusCode != http.StatusOK {
		t.Errorf("statuses %d and %d, want none and 200", first.StatusCode, again.StatusCode)
	}
}

func TestWebhookTimeoutOverTheNetwork(t *testing.T) {
	ivr := &slowIVR{script: []string{"block"}, release: make(chan struct{}), cancelled: make(chan struct{}, 1)}
	srv := httptest.NewServer(ivr)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(ivr.release) }) // runs first: Close waits for the handler
	c := NewCaller(nil, srv.URL+"/start", testToken)
	c.Timeout = 5 * time.Millisecond
	call := c.Call()
	if call.End != EndError || !errors.Is(call.Err, ErrTimeout) || call.LastSaid() != ApplicationError {
		t.Fatalf("end %v (%v), said %q", call.End, call.Err, call.Said)
	}
}
