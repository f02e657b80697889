package redisstore_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	replicaDecline = "We were not able to locate you in our system. Goodbye."
	replicaApology = "We're sorry, an application error has occurred. Goodbye."
)

// replicaSet is the tutorial's service run as several Flows, each with a
// store of its own on one Redis, sharing the master key and the backend.
type replicaSet struct {
	flows    []*flow.Flow
	stores   []flow.Store
	served   []atomic.Int64 // requests each replica served
	next     atomic.Int64
	hits     atomic.Int64 // backend calls
	clockOff atomic.Int64
	logs     logLines
}

// newReplicaSet builds n replicas, each with the store newStore returns.
// Their Finish is the tutorial's backend: it opens the sealed card and PIN
// and knows one account.
func newReplicaSet(t testing.TB, n int, newStore func() flow.Store) *replicaSet {
	t.Helper()
	master := aescrypt.New(aescrypt.GenerateKey())
	rs := &replicaSet{served: make([]atomic.Int64, n)}
	backend := func(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
		rs.hits.Add(1)
		card, err1 := master.Open(r.Sealed["encryptedCardDigits"], nil)
		pin, err2 := master.Open(r.Sealed["encryptedPinDigits"], nil)
		if err1 != nil || err2 != nil || string(card) != "1234" || string(pin) != "4321" {
			return []twiml.Verb{twiml.Say{Text: replicaDecline}}, flow.ErrDeclined
		}
		return []twiml.Verb{twiml.Say{Text: replicaSuccess}}, nil
	}
	for range n {
		store := newStore()
		f, err := flow.New(master, replicaToken, replicaSteps(), backend,
			flow.WithPublicURL("https://ivr.example.com"), flow.WithStore(store),
			flow.WithLogger(rs.logs.logger()), flow.WithClock(rs.now))
		if err != nil {
			t.Fatal(err)
		}
		rs.flows = append(rs.flows, f)
		rs.stores = append(rs.stores, store)
	}
	return rs
}

// waitReady waits until every replica's store is ready, as a readiness
// probe would before sending it traffic.
func (rs *replicaSet) waitReady(t *testing.T) {
	t.Helper()
	for _, s := range rs.stores {
		r := s.(interface{ Ready(context.Context) error })
		waitUntil(t, func() bool { return r.Ready(t.Context()) == nil })
	}
}

// serverStores returns a maker of stores, each on its own client of srv.
func serverStores(t testing.TB, srv *redistest.Server, opts ...redisstore.Option) func() flow.Store {
	return func() flow.Store { return newStore(t, srv, opts...) }
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

// String returns every line logged so far.
func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logLines) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

// has reports whether one line holds every one of parts.
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

// TestReplicasShareRedis serves one call on two replicas in turn, on one
// Redis server and on a Redis Cluster, then sends each of its requests
// that carries a token to the replica that did not serve it: inside the
// retry window it gets the same answer, after it the apology. The backend
// is called once.
func TestReplicasShareRedis(t *testing.T) {
	tests := []struct {
		name   string
		stores func(t *testing.T) func() flow.Store
	}{
		{name: "one server", stores: func(t *testing.T) func() flow.Store {
			return serverStores(t, redistest.NewServer(t))
		}},
		{name: "cluster", stores: func(t *testing.T) func() flow.Store {
			cluster := redistest.NewCluster(t, 3)
			return func() flow.Store { return storeOn(t, cluster.NewClient()) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := newReplicaSet(t, 2, tt.stores(t))
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
		})
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
			rs := newReplicaSet(t, 2, serverStores(t, srv, redisstore.WithTimeout(200*time.Millisecond)))
			_, pin := callUntilPIN(t, rs)
			tt.trouble(t, srv)

			start := time.Now()
			rec := httptest.NewRecorder()
			rs.ServeHTTP(rec, pin())
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

// TestReplicasRedisCrash kills Redis (SIGKILL) between a call's card and
// PIN steps and starts it again on the same port and directory, then
// replays the card step after the retry window and finishes the call.
// With appendfsync always the card step's claim survived: the replay gets
// the apology. Without persistence it did not, and the replay is answered
// again: the window the package doc describes.
func TestReplicasRedisCrash(t *testing.T) {
	tests := []struct {
		name        string
		start       func(testing.TB, ...string) *redistest.Server
		wantRefused bool
	}{
		{name: "appendfsync always", start: redistest.NewAOFServer, wantRefused: true},
		{name: "no persistence", start: redistest.NewServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.start(t)
			rs := newReplicaSet(t, 2, serverStores(t, srv))
			card, pin := callUntilPIN(t, rs)
			srv.Kill()
			srv.Start()
			rs.waitReady(t)

			rs.clockOff.Store(int64(flow.DefaultRetryWindow + time.Second))
			rec := httptest.NewRecorder()
			rs.ServeHTTP(rec, card())
			if refused := isApology(rec); refused != tt.wantRefused {
				t.Errorf("card step replayed after the crash: %s; want refused %v", rec.Body, tt.wantRefused)
			}
			if replayed := rs.logs.has(`"outcome":"replayed"`); replayed != tt.wantRefused {
				t.Errorf("replayed outcome logged: %v, want %v", replayed, tt.wantRefused)
			}
			rec = httptest.NewRecorder()
			rs.ServeHTTP(rec, pin())
			if !strings.Contains(rec.Body.String(), replicaSuccess) {
				t.Errorf("PIN step after the crash answered %s, want %q", rec.Body, replicaSuccess)
			}
			if n := rs.hits.Load(); n != 1 {
				t.Errorf("backend called %d times, want 1", n)
			}
			if rs.logs.has(`"outcome":"store_failed"`) {
				t.Errorf("a step failed on the store after the crash")
			}
		})
	}
}

// callUntilPIN answers a call's first two requests on rs and returns
// makers of the signed requests that answer the card step (again) and
// the PIN step.
func callUntilPIN(t *testing.T, rs *replicaSet) (card, pin func() *http.Request) {
	t.Helper()
	form := flowtest.DefaultParams()
	rec := httptest.NewRecorder()
	rs.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, replicaWebhook, form, replicaToken))
	cardURL, err := flowtest.GatherAction(replicaWebhook, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("first request: %v", err)
	}
	cardForm := withDigits(form, "1234")
	rec = httptest.NewRecorder()
	rs.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, cardURL, cardForm, replicaToken))
	pinURL, err := flowtest.GatherAction(replicaWebhook, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("card step: %v\n%s", err, rec.Body)
	}
	pinForm := withDigits(form, "4321")
	card = func() *http.Request { return flowtest.NewRequest(http.MethodPost, cardURL, cardForm, replicaToken) }
	pin = func() *http.Request { return flowtest.NewRequest(http.MethodPost, pinURL, pinForm, replicaToken) }
	return card, pin
}

// withDigits returns a copy of form with Digits set.
func withDigits(form url.Values, digits string) url.Values {
	out := make(url.Values, len(form)+1)
	for k, v := range form {
		out[k] = v
	}
	out.Set("Digits", digits)
	return out
}

// BenchmarkStepRedis is a flow's step with the claims in a Redis on
// loopback: one round trip per step, claiming and saving at once. Each request answers
// a fresh token; tokens are issued a batch at a time with the timer off.
func BenchmarkStepRedis(b *testing.B) {
	master := aescrypt.New(aescrypt.GenerateKey())
	finish := func(context.Context, *flow.Result) ([]twiml.Verb, error) {
		return nil, fmt.Errorf("redisstore_test: not reached")
	}
	f, err := flow.New(master, replicaToken, replicaSteps(), finish,
		flow.WithPublicURL("https://ivr.example.com"), flow.WithStore(newStore(b, redistest.NewServer(b))),
		flow.WithLogger(slog.New(slog.DiscardHandler)))
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
	answer := withDigits(form, "1234")
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

// TestRaceAcrossReplicas sends a call's card step (it changes nothing
// outside its request, so a replica claims its token and saves its answer
// in one script) to two replicas at the same moment, for many calls: each
// time one gathers and the other answers with the very same bytes, as a
// retry, whichever reached Redis first.
func TestRaceAcrossReplicas(t *testing.T) {
	srv := redistest.NewServer(t)
	rs := newReplicaSet(t, 2, serverStores(t, srv))
	const calls = 20
	for i := range calls {
		form := flowtest.DefaultParams()
		form.Set("CallSid", fmt.Sprintf("CA%032x", i+1)) // each call its own
		rec := httptest.NewRecorder()
		rs.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, replicaWebhook, form, replicaToken))
		cardURL, err := flowtest.GatherAction(replicaWebhook, rec.Body.Bytes())
		if err != nil {
			t.Fatalf("call %d, first request: %v", i, err)
		}
		card := withDigits(form, "1234")
		var answers [2]*httptest.ResponseRecorder
		start := make(chan struct{})
		var wg sync.WaitGroup
		for r := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := flowtest.NewRequest(http.MethodPost, cardURL, card, replicaToken)
				answers[r] = httptest.NewRecorder()
				<-start
				rs.flows[r].ServeHTTP(answers[r], req)
			}()
		}
		close(start)
		wg.Wait()
		if _, err := flowtest.GatherAction(replicaWebhook, answers[0].Body.Bytes()); err != nil {
			t.Fatalf("call %d: replica 0 answered %s", i, answers[0].Body)
		}
		if !bytes.Equal(answers[0].Body.Bytes(), answers[1].Body.Bytes()) {
			t.Fatalf("call %d: the replicas answered differently:\n%s\n%s", i, answers[0].Body, answers[1].Body)
		}
	}
	logs := rs.logs.String()
	if g, r := strings.Count(logs, `"outcome":"gathered"`), strings.Count(logs, `"outcome":"retried"`); g != calls || r != calls {
		t.Errorf("%d gathered and %d retried, want %d of each:\n%s", g, r, calls, logs)
	}
}
