package flow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/redisstore"
	"github.com/encgather/encgather/flow/redisstore/redistest"
	"github.com/encgather/encgather/twiml"
)

// These tests run the tutorial's call on flows sharing a real Redis, as
// replicas behind a load balancer do.

const (
	replicaToken   = "test-auth-token-0123456789abcdef"
	replicaWebhook = "https://ivr.example.com/encrypted-gather"
	replicaSuccess = "Thank you. Your account number is AC12345678 and your balance is 12.55"
	replicaApology = "We're sorry, an application error has occurred. Goodbye."
)

// TestMain quiets go-redis's own log: the tests stop and pause Redis on
// purpose, and every failure they expect is checked through the flow.
func TestMain(m *testing.M) {
	redis.SetLogger(quietRedis{})
	os.Exit(m.Run())
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// replicaSet is the tutorial's service run as several Flows on one Redis,
// each with its own client, sharing the master key and the backend.
type replicaSet struct {
	flows    []*flow.Flow
	served   []atomic.Int64 // requests each replica served
	next     atomic.Int64
	hits     atomic.Int64 // backend requests
	clockOff atomic.Int64
	logs     logLines
}

func newReplicaSet(t *testing.T, srv *redistest.Server, n int, storeOpts ...redisstore.Option) *replicaSet {
	t.Helper()
	master := aescrypt.New(aescrypt.GenerateKey())
	rs := &replicaSet{served: make([]atomic.Int64, n)}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.hits.Add(1)
		var in map[string]string
		json.NewDecoder(r.Body).Decode(&in)
		card, err1 := master.Open(in["encryptedCardDigits"], nil)
		pin, err2 := master.Open(in["encryptedPinDigits"], nil)
		if err1 != nil || err2 != nil || string(card) != "1234" || string(pin) != "4321" {
			http.Error(w, "No data found", http.StatusNotFound)
			return
		}
		w.Write([]byte(`{"account":"AC12345678","balance":"12.55"}`))
	}))
	t.Cleanup(backend.Close)
	for range n {
		store, err := redisstore.New(srv.NewClient(), storeOpts...)
		if err != nil {
			t.Fatal(err)
		}
		f, err := flow.New(master, replicaToken, replicaSteps(), flow.PostJSON(flow.Backend{
			URL:       backend.URL,
			OnSuccess: replicaSentence,
			Failure:   []twiml.Verb{twiml.Say{Text: "We were not able to locate you in our system. Goodbye."}},
		}), flow.WithPublicURL("https://ivr.example.com"), flow.WithStore(store),
			flow.WithLogger(rs.logs.logger()), flow.WithClock(rs.now))
		if err != nil {
			t.Fatal(err)
		}
		rs.flows = append(rs.flows, f)
	}
	return rs
}

func (rs *replicaSet) now() time.Time { return time.Now().Add(time.Duration(rs.clockOff.Load())) }

// ServeHTTP sends each request to the next replica in turn.
func (rs *replicaSet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(rs.next.Add(1)-1) % len(rs.flows)
	rs.served[i].Add(1)
	rs.flows[i].ServeHTTP(w, r)
}

func replicaSteps() []flow.Step {
	return []flow.Step{
		{Name: "getLast4CC", Field: "encryptedCardDigits", Digits: flow.Exactly(4), Timeout: 10 * time.Second,
			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter last 4 digits of your payment card number."}}},
		{Name: "getPin", Field: "encryptedPinDigits", Digits: flow.Exactly(4), Timeout: 10 * time.Second,
			Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter your unique 4 digit identification number"}}},
	}
}

func replicaSentence(body []byte) ([]twiml.Verb, error) {
	var out struct{ Account, Balance string }
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, err
	}
	return []twiml.Verb{twiml.Say{Text: "Thank you. Your account number is " + out.Account + " and your balance is " + out.Balance}}, nil
}

// logLines collects JSON log lines.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logLines) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

func (l *logLines) has(parts ...string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.SplitSeq(l.buf.String(), "\n") {
		all := line != ""
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			return true
		}
	}
	return false
}

// resendTo sends a captured request again to h, signed as before.
func resendTo(h http.Handler, r *flowtest.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, flowtest.NewRequest(r.Method, r.URL, r.Form, replicaToken))
	return rec
}

func isApology(rec *httptest.ResponseRecorder) bool {
	return rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), replicaApology)
}

// TestReplicasShareRedis serves one call on two replicas in turn, then
// sends each of its requests that carries a token to the replica that did
// not serve it: inside the retry window it gets the same answer, after it
// the apology. The backend is called once.
func TestReplicasShareRedis(t *testing.T) {
	rs := newReplicaSet(t, redistest.NewServer(t), 2)
	call := flowtest.NewCaller(rs, replicaWebhook, replicaToken).Call("", "1234", "4321")
	if call.LastSaid() != replicaSuccess || len(call.Requests) != 4 {
		t.Fatalf("call on two replicas:\n%s", call.Transcript())
	}
	if rs.served[0].Load() != 2 || rs.served[1].Load() != 2 {
		t.Fatalf("replicas served %d and %d requests, want 2 each", rs.served[0].Load(), rs.served[1].Load())
	}
	// Request i was served by replica i%2; send it to the other.
	for i := 1; i < len(call.Requests); i++ {
		other := rs.flows[(i+1)%2]
		rec := resendTo(other, call.Requests[i])
		if !bytes.Equal(rec.Body.Bytes(), call.Requests[i].Body) {
			t.Errorf("request %d retried on the other replica: %s, want the first answer", i, rec.Body)
		}
	}
	rs.clockOff.Store(int64(flow.DefaultRetryWindow + time.Second))
	for i := 1; i < len(call.Requests); i++ {
		other := rs.flows[(i+1)%2]
		if rec := resendTo(other, call.Requests[i]); !isApology(rec) {
			t.Errorf("request %d replayed to the other replica: %s, want the apology", i, rec.Body)
		}
	}
	if n := rs.hits.Load(); n != 1 {
		t.Errorf("backend called %d times, want 1", n)
	}
	if !rs.logs.has(`"level":"WARN"`, `"outcome":"replayed"`, call.Sid) {
		t.Errorf("no replayed warning logged")
	}
}

// TestRedisTrouble runs a call whose Redis restarts, stops or stalls
// between the card and the PIN step. A restarted Redis serves the rest of
// the call; one that cannot answer within the store's timeout ends it with
// the apology and an error line, before the backend is called.
func TestRedisTrouble(t *testing.T) {
	tests := []struct {
		name    string
		trouble func(t *testing.T, srv *redistest.Server)
		wantSay string
	}{
		{"restarted", func(t *testing.T, srv *redistest.Server) { srv.Stop(); srv.Start() }, replicaSuccess},
		{"stopped", func(t *testing.T, srv *redistest.Server) { srv.Stop() }, replicaApology},
		{"stalled past the timeout", func(t *testing.T, srv *redistest.Server) {
			// CLIENT PAUSE WRITE holds scripts, and so every Claim.
			if err := srv.NewClient().Do(t.Context(), "CLIENT", "PAUSE", 3000, "WRITE").Err(); err != nil {
				t.Fatal(err)
			}
		}, replicaApology},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redistest.NewServer(t)
			rs := newReplicaSet(t, srv, 2, redisstore.WithTimeout(200*time.Millisecond))
			pin := pinRequest(t, rs)
			tt.trouble(t, srv)

			start := time.Now()
			rec := httptest.NewRecorder()
			rs.ServeHTTP(rec, pin)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("PIN step took %v with Redis %s", took, tt.name)
			}
			if !strings.Contains(rec.Body.String(), tt.wantSay) {
				t.Errorf("PIN step answered %s, want %q", rec.Body, tt.wantSay)
			}
			if tt.wantSay == replicaApology {
				if n := rs.hits.Load(); n != 0 {
					t.Errorf("backend called %d times, want 0", n)
				}
				if !rs.logs.has(`"level":"ERROR"`, `"outcome":"store_failed"`) {
					t.Errorf("no store_failed error logged")
				}
			}
		})
	}
}

// pinRequest answers a call's first two requests on rs and returns the
// signed request that answers the PIN step.
func pinRequest(t *testing.T, rs *replicaSet) *http.Request {
	t.Helper()
	form := flowtest.DefaultParams()
	rec := httptest.NewRecorder()
	rs.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, replicaWebhook, form, replicaToken))
	card, err := flowtest.GatherAction(replicaWebhook, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("first request: %v", err)
	}
	form.Set("Digits", "1234")
	rec = httptest.NewRecorder()
	rs.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, card, form, replicaToken))
	pin, err := flowtest.GatherAction(replicaWebhook, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("card step: %v\n%s", err, rec.Body)
	}
	form.Set("Digits", "4321")
	return flowtest.NewRequest(http.MethodPost, pin, form, replicaToken)
}

// BenchmarkStepRedis is BenchmarkStep with the claims in a Redis on
// loopback: a Claim and a Save round trip per step. Each request answers
// a fresh token; tokens are issued a batch at a time with the timer off.
func BenchmarkStepRedis(b *testing.B) {
	srv := redistest.NewServer(b)
	store, err := redisstore.New(srv.NewClient())
	if err != nil {
		b.Fatal(err)
	}
	master := aescrypt.New(aescrypt.GenerateKey())
	f, err := flow.New(master, replicaToken, replicaSteps(), flow.PostJSON(flow.Backend{URL: "http://127.0.0.1:1"}),
		flow.WithPublicURL("https://ivr.example.com"), flow.WithStore(store), flow.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	form := flowtest.DefaultParams()
	var batch []*http.Request
	rec := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		if len(batch) == 0 {
			b.StopTimer()
			batch = freshCardRequests(b, f, form, 1024)
			b.StartTimer()
		}
		rec.Body.Reset()
		f.ServeHTTP(rec, batch[0])
		batch = batch[1:]
	}
	if !strings.Contains(rec.Body.String(), "step=getPin") {
		b.Fatalf("step answered %s", rec.Body)
	}
}

// freshCardRequests starts n calls' worth of card steps on f and returns
// the signed requests that answer them.
func freshCardRequests(b *testing.B, f *flow.Flow, form url.Values, n int) []*http.Request {
	reqs := make([]*http.Request, 0, n)
	answer := url.Values{}
	for k, v := range form {
		answer[k] = v
	}
	answer.Set("Digits", "1234")
	for range n {
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, replicaWebhook, form, replicaToken))
		action, err := flowtest.GatherAction(replicaWebhook, rec.Body.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		reqs = append(reqs, flowtest.NewRequest(http.MethodPost, action, answer, replicaToken))
	}
	return reqs
}
