package flow

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/twiml"
)

// benchFinish returns the tutorial's PostJSON finish against a loopback
// backend that reads the body and answers the known account, and the
// Result of one call. The backend's new connections are reported per
// operation as conns/op.
func benchFinish(b *testing.B) (Finish, *Result) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"account":"AC12345678","balance":"12.55"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	b.Cleanup(srv.Close)
	b.Cleanup(func() { b.ReportMetric(float64(conns.Load())/float64(b.N), "conns/op") })
	c := aescrypt.New(aescrypt.GenerateKey())
	finish := PostJSON(Backend{URL: srv.URL, OnSuccess: accountSentence, Failure: []twiml.Verb{twiml.Say{Text: sayFailure}}})
	res := &Result{
		CallSid: testCallSid,
		Sealed: map[string]string{
			"encryptedCardDigits": c.Seal([]byte("1234"), nil),
			"encryptedPinDigits":  c.Seal([]byte("4321"), nil),
		},
		Plain: map[string]string{},
	}
	return finish, res
}

// BenchmarkFinish is the finish step of one call: the JSON body built, the
// POST to a loopback backend, its answer read and turned into verbs.
func BenchmarkFinish(b *testing.B) {
	finish, res := benchFinish(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := finish(ctx, res); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFinishParallel is many calls finishing at once against one
// backend, where the transport's idle connections per host matter.
func BenchmarkFinishParallel(b *testing.B) {
	finish, res := benchFinish(b)
	ctx := context.Background()
	b.SetParallelism(8)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := finish(ctx, res); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
