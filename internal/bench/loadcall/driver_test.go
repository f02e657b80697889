package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/twiml"
)

const testToken = "load-token"

// seen records every request a server receives, to prove none is sent twice.
type seen struct {
	mu    sync.Mutex
	reqs  map[string]int
	total int
}

func (s *seen) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		s.reqs[r.Method+" "+r.URL.String()+" "+string(body)]++
		s.total++
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (s *seen) replays() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.reqs {
		n += c - 1
	}
	return n
}

// tutorialServer runs the tutorial's IVR (tutorialFlow) over real HTTP on
// loopback, checking signatures against its own URL.
func tutorialServer(t *testing.T) (string, *seen) {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	ivr := tutorialFlow(t, base)
	s := &seen{reqs: map[string]int{}}
	mux := http.NewServeMux()
	mux.Handle(tutorialPath, s.wrap(ivr))
	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return base + tutorialPath, s
}

func testDriver(url, token string, keys ...string) *driver {
	return &driver{
		client:      newClient(4, 5*time.Second),
		url:         url,
		token:       token,
		keys:        keys,
		expect:      "Your account number is",
		accountSid:  newSid("AC"),
		maxRequests: defaultMaxRequests,
	}
}

func TestDriverTutorialCall(t *testing.T) {
	url, s := tutorialServer(t)
	tests := []struct {
		name      string
		token     string
		keys      []string
		mode      mode
		want      outcome
		wantSteps int // timed requests per call
	}{
		{"known caller", testToken, []string{"1234", "4321"}, modeCall, ended, 3},
		{"silence and a short entry are retried", testToken, []string{"", "12", "1234", "4321"}, modeCall, ended, 5},
		{"unknown caller is a wrong ending", testToken, []string{"1111", "4321"}, modeCall, wrong, 3},
		{"caller gives up", testToken, nil, modeCall, wrong, 0},
		{"wrong token fails", "other-token", []string{"1234", "4321"}, modeCall, failed, 1},
		{"first step only", testToken, []string{"1234", "4321"}, modeFirst, ended, 1},
		{"last step only", testToken, []string{"1234", "4321"}, modeLast, ended, 1},
		{"last step of an unknown caller", testToken, []string{"1111", "4321"}, modeLast, wrong, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDriver(url, tt.token, tt.keys...)
			r := run(context.Background(), d, plan{mode: tt.mode, calls: 6, concurrency: 3, duration: time.Minute})
			counts := map[outcome]int{ended: r.ended, wrong: r.wrong, failed: r.failed}
			if r.calls != 6 || counts[tt.want] != 6 {
				t.Fatalf("%d calls: ended %d, wrong %d, failed %d; want all %d; %q", r.calls, r.ended, r.wrong, r.failed, tt.want, r.samples)
			}
			if tt.wantSteps > 0 && (len(r.steps) != tt.wantSteps || len(r.requests) != 6*tt.wantSteps || len(r.last) != 6) {
				t.Errorf("%d step indexes, %d requests, %d last; want %d per call", len(r.steps), len(r.requests), len(r.last), tt.wantSteps)
			}
			if tt.want != ended && len(r.samples) == 0 {
				t.Error("no call described as not as expected")
			}
		})
	}
	if s.total == 0 || s.replays() != 0 {
		t.Errorf("%d requests, %d of them replays", s.total, s.replays())
	}
}

// docServer answers each path with a fixed document.
func docServer(t *testing.T, docs map[string]string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		doc, ok := docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, doc)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDriverFollowsDocuments(t *testing.T) {
	base := docServer(t, map[string]string{
		"/ivr/start": `<Response><Gather action="next?x=1" numDigits="2"><Say>Two digits.</Say></Gather><Redirect>/ivr/start</Redirect></Response>`,
		"/ivr/next":  `<Response><Redirect method="GET">/ivr/end</Redirect></Response>`,
		"/ivr/end":   `<Response><Say>Goodbye, Your account number is 1.</Say></Response>`,
		"/loop":      `<Response><Redirect>/loop</Redirect></Response>`,
		"/reject":    `<Response><Say>Your account number is</Say><Reject/></Response>`,
		"/away":      `<Response><Redirect>https://ivr.example.com/next</Redirect></Response>`,
		"/garbage":   `not TwiML`,
	})
	tests := []struct {
		path  string
		keys  []string
		want  outcome
		steps int
		why   string
	}{
		{"/ivr/start", []string{"123"}, ended, 3, ""},
		{"/loop", nil, wrong, defaultMaxRequests, "no end"},
		{"/reject", nil, wrong, 1, "rejected"},
		{"/away", nil, failed, 1, "not on loopback"},
		{"/garbage", nil, failed, 1, "not TwiML"},
		{"/missing", nil, failed, 1, "status 404"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c := testDriver(base+tt.path, testToken, tt.keys...).place(context.Background())
			if c.end != tt.want || len(c.steps) != tt.steps || !strings.Contains(c.why, tt.why) {
				t.Fatalf("end %d after %d requests (%s); want %d after %d (%s)", c.end, len(c.steps), c.why, tt.want, tt.steps, tt.why)
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:8080/ivr", true},
		{"http://localhost/ivr", true},
		{"http://[::1]:80/", true},
		{"https://127.0.0.1/ivr", false},
		{"http://10.0.0.1/ivr", false},
		{"http://ivr.example.com/ivr", false},
		{"%zz", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := checkLoopback(tt.url)
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, errNotLoopback)) {
				t.Fatalf("checkLoopback: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	url, _ := tutorialServer(t)
	good := options{url: url, token: testToken, digits: "1234,4321", expect: "Your account number is", format: "kv",
		calls: 10, concurrency: 2, duration: time.Minute, timeout: 5 * time.Second, warmup: 2}
	tests := []struct {
		name    string
		change  func(*options)
		wantErr string
		wantOut string
	}{
		{"whole calls", func(*options) {}, "", "calls=10 ended=10 wrong=0 errors=0"},
		{"text report", func(o *options) { o.format = "text" }, "", "ended as expected 10, wrong ending 0, errors 0"},
		{"wrong ending", func(o *options) { o.digits = "1234,0000" }, "some calls did not end as expected", "calls=10 ended=0 wrong=10"},
		{"both modes", func(o *options) { o.firstOnly, o.lastOnly = true, true }, "exclude each other", ""},
		{"no calls", func(o *options) { o.calls = 0 }, "at least 1", ""},
		{"long duration", func(o *options) { o.duration = time.Hour }, "at most", ""},
		{"unknown format", func(o *options) { o.format = "json" }, "unknown -format", ""},
		{"not loopback", func(o *options) { o.url = "http://ivr.example.com/" }, "not on loopback", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good
			tt.change(&o)
			var out bytes.Buffer
			err := load(context.Background(), &out, o)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("report %q lacks %q", out.String(), tt.wantOut)
			}
		})
	}
}

// FuzzFollow plays any answer a server could give: the driver must end
// the call or lead to a request, never panic.
func FuzzFollow(f *testing.F) {
	f.Add([]byte(`<Response><Gather action="?step=2"><Say>Hi</Say></Gather><Redirect/></Response>`))
	f.Add([]byte(`<Response><Say>Your account number is</Say><Hangup/></Response>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := twiml.Parse(data)
		if err != nil {
			return
		}
		c := testDriver("http://127.0.0.1/ivr", testToken, "1234", "").newCall()
		if next := c.follow(doc, "http://127.0.0.1/ivr"); next == nil && c.end == ended && !strings.Contains(c.said, c.d.expect) {
			t.Fatalf("ended as expected after %q", c.said)
		}
	})
}
