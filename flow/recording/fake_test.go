package recording_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/encgather/encgather/flow/recording"
)

// Fixed SIDs and credentials made of letters only, so that no digit string
// a test caller types can appear in a REST request by chance.
var (
	recAccountSid = "AC" + strings.Repeat("ab", 16)
	recCallSid    = "CA" + strings.Repeat("cd", 16)
	recKeySid     = "SK" + strings.Repeat("ef", 16)
)

const (
	recAuthToken = "recordingsAuthTokenOnlyLetters"
	recKeySecret = "recordingsKeySecretOnlyLetters"
)

// fakeAnswer is how the fake REST API answers one recording update.
type fakeAnswer int

const (
	answerOK       fakeAnswer = iota // 200 with the recording
	answerNotFound                   // 404, Twilio code 20404
	answerError                      // 500, Twilio code 20500
	answerGarbage                    // 502 with an HTML body
	answerHang                       // no answer until the client gives up

	// Answers that look like success or like "no recording" and are not.
	answerRedirect      // 307 to the same path, with the recording asked for as its body
	answerOtherStatus   // 200 with the recording in the other status
	answerNoStatus      // 200 with the recording but no status
	answerEmpty         // 204, no body
	answerNotFoundCode  // 404 with a Twilio code other than 20404
	answerNotFoundHTML  // 404 with an HTML body, as from a proxy
	answerCodeNotStatus // 400 whose Twilio error code is 20404

	// Answers that refuse an update for now, and a connection lost.
	answerTooMany           // 429, Twilio code 20429: the account's concurrency limit
	answerTooManyRetryAfter // 429 with Retry-After: 2
	answerUnavailable       // 503 with an HTML body, as from a load balancer
	answerDrop              // the connection closed once the request is read
)

// restRequest is one request the fake REST API received.
type restRequest struct {
	Method   string
	Path     string
	Form     url.Values
	User     string
	Password string
	BasicOK  bool
	Dump     string // method, URL, every header and the body, for leak checks
}

// status is the request's Status parameter.
func (r restRequest) status() string { return r.Form.Get("Status") }

// fakeTwilio is Twilio's REST API on loopback: it records each request and
// answers by the Status it asks for ("paused" or "in-progress").
type fakeTwilio struct {
	server  *httptest.Server
	release chan struct{}

	mu       sync.Mutex
	answers  map[string]fakeAnswer
	first    map[string][]fakeAnswer // answered, in order, before answers
	requests []restRequest
}

func newFakeTwilio(t testing.TB) *fakeTwilio {
	t.Helper()
	ft := &fakeTwilio{release: make(chan struct{}), answers: map[string]fakeAnswer{}, first: map[string][]fakeAnswer{}}
	ft.server = httptest.NewServer(http.HandlerFunc(ft.serve))
	t.Cleanup(ft.server.Close)
	t.Cleanup(func() { close(ft.release) }) // runs first: unblocks hung answers
	return ft
}

// answer sets how updates to status are answered; the default is answerOK.
func (ft *fakeTwilio) answer(status string, a fakeAnswer) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.answers[status] = a
}

// answerFirst makes the next updates to status get answers, one each in
// order, before the answer set by answer.
func (ft *fakeTwilio) answerFirst(status string, answers ...fakeAnswer) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.first[status] = append(ft.first[status], answers...)
}

// recorded returns a copy of the requests received so far.
func (ft *fakeTwilio) recorded() []restRequest {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	return append([]restRequest(nil), ft.requests...)
}

// statuses returns the Status of each request received, in order.
func (ft *fakeTwilio) statuses() []string {
	var out []string
	for _, r := range ft.recorded() {
		out = append(out, r.status())
	}
	return out
}

func (ft *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	user, pass, ok := r.BasicAuth()
	var dump strings.Builder
	fmt.Fprintf(&dump, "%s %s\n", r.Method, r.URL)
	for k, vs := range r.Header {
		fmt.Fprintf(&dump, "%s: %s\n", k, strings.Join(vs, ", "))
	}
	dump.Write(body)

	ft.mu.Lock()
	ft.requests = append(ft.requests, restRequest{
		Method: r.Method, Path: r.URL.Path, Form: form,
		User: user, Password: pass, BasicOK: ok, Dump: dump.String(),
	})
	a := ft.answers[form.Get("Status")]
	if queued := ft.first[form.Get("Status")]; len(queued) > 0 {
		a, ft.first[form.Get("Status")] = queued[0], queued[1:]
	}
	ft.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	asked := form.Get("Status")
	switch a {
	case answerOK:
		fmt.Fprint(w, recordingJSON(asked))
	case answerRedirect:
		w.Header().Set("Location", r.URL.Path)
		w.WriteHeader(http.StatusTemporaryRedirect)
		fmt.Fprint(w, recordingJSON(asked))
	case answerOtherStatus:
		other := "in-progress"
		if asked == other {
			other = "paused"
		}
		fmt.Fprint(w, recordingJSON(other))
	case answerNoStatus:
		fmt.Fprintf(w, `{"sid":"RE%s","call_sid":"%s"}`, strings.Repeat("0f", 16), recCallSid)
	case answerEmpty:
		w.WriteHeader(http.StatusNoContent)
	case answerNotFoundCode:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"code":21220,"message":"Invalid call state","more_info":"https://www.twilio.com/docs/errors/21220","status":404}`)
	case answerNotFoundHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html>not found</html>")
	case answerCodeNotStatus:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"code":20404,"message":"not found","more_info":"https://www.twilio.com/docs/errors/20404","status":400}`)
	case answerNotFound:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"code":20404,"message":"The requested resource %s was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}`, r.URL.Path)
	case answerError:
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"code":20500,"message":"Internal Server Error","more_info":"https://www.twilio.com/docs/errors/20500","status":500}`)
	case answerGarbage:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html>bad gateway</html>")
	case answerTooMany, answerTooManyRetryAfter:
		if a == answerTooManyRetryAfter {
			w.Header().Set("Retry-After", "2")
		}
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}`)
	case answerUnavailable:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "<html>service unavailable</html>")
	case answerDrop:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	case answerHang:
		select {
		case <-r.Context().Done():
		case <-ft.release:
		}
	}
}

// recordingJSON is Twilio's answer for the call's recording in status.
func recordingJSON(status string) string {
	return fmt.Sprintf(`{"account_sid":"%s","sid":"RE%s","call_sid":"%s","status":%q}`, recAccountSid, strings.Repeat("0f", 16), recCallSid, status)
}

// client returns an HTTP client that sends what is addressed to Twilio's
// REST API to the fake instead.
func (ft *fakeTwilio) client() *http.Client {
	u, _ := url.Parse(ft.server.URL)
	return &http.Client{Transport: &toFake{target: u, base: ft.server.Client().Transport}}
}

// toFake rewrites requests for api.twilio.com to the fake server, and
// refuses any other host: nothing may leave the machine.
type toFake struct {
	target *url.URL
	base   http.RoundTripper
}

func (t *toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "api.twilio.com" || r.URL.Scheme != "https" {
		return nil, fmt.Errorf("unexpected REST request to %s://%s", r.URL.Scheme, r.URL.Host)
	}
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host, out.Host = t.target.Scheme, t.target.Host, ""
	return t.base.RoundTrip(out)
}

// failingDials is a transport that fails its first n requests as a
// refused connection would, before writing anything, and sends the rest
// through next.
type failingDials struct {
	next http.RoundTripper
	n    atomic.Int32
}

func (f *failingDials) RoundTrip(r *http.Request) (*http.Response, error) {
	if f.n.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	return f.next.RoundTrip(r)
}

// recordings returns a Client that talks to the fake.
func (ft *fakeTwilio) recordings(t testing.TB, opts ...recording.Option) *recording.Client {
	t.Helper()
	rec, err := recording.New(recAccountSid, recAuthToken, append([]recording.Option{recording.WithHTTPClient(ft.client())}, opts...)...)
	if err != nil {
		t.Fatalf("recording.New: %v", err)
	}
	return rec
}

// recordingPath is where every update of the call's current recording goes.
var recordingPath = "/2010-04-01/Accounts/" + recAccountSid + "/Calls/" + recCallSid + "/Recordings/Twilio.CURRENT.json"

// checkRESTRequest checks one recorded request: the path, the method, the
// credentials, the form, and that none of the caller's digits is in it.
func checkRESTRequest(t *testing.T, i int, r restRequest, user, pass string, typed []string) {
	t.Helper()
	if r.Method != http.MethodPost || r.Path != recordingPath {
		t.Errorf("request %d: %s %s, want POST %s", i, r.Method, r.Path, recordingPath)
	}
	if !r.BasicOK || r.User != user || r.Password != pass {
		t.Errorf("request %d: basic auth %q (ok %v), want the configured credentials", i, r.User, r.BasicOK)
	}
	want := url.Values{"Status": {"paused"}, "PauseBehavior": {"skip"}}
	if r.status() != "paused" {
		want = url.Values{"Status": {"in-progress"}}
	}
	if r.Form.Encode() != want.Encode() {
		t.Errorf("request %d: form %q, want %q", i, r.Form.Encode(), want.Encode())
	}
	for _, d := range typed {
		// Entries of fewer than 4 keys are menu choices: a single digit
		// is bound to appear in a version number or a length.
		if len(d) >= 4 && strings.Contains(r.Dump, d) {
			t.Errorf("request %d carries the typed digits %q:\n%s", i, d, r.Dump)
		}
	}
}
