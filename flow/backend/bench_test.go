package backend

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
)

// benchResult is the Result of one tutorial call.
func benchResult() *flow.Result {
	c := aescrypt.New(aescrypt.GenerateKey())
	return &flow.Result{
		CallSid: testCallSid, From: testFrom,
		Sealed: map[string]string{
			"encryptedCardDigits": c.Seal([]byte("1234"), nil),
			"encryptedPinDigits":  c.Seal([]byte("4321"), nil),
		},
		Plain: map[string]string{},
	}
}

// benchFinish returns the tutorial's finish, signed, against a loopback
// backend that verifies the signature, reads the body and answers an
// account. The backend's new connections are reported per operation as
// conns/op.
func benchFinish(b *testing.B) flow.Finish {
	secret := testSecret(b, 1)
	v, err := NewVerifier(NewSecrets(secret))
	if err != nil {
		b.Fatal(err)
	}
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"account":"AC12345678"}`)
	})))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	b.Cleanup(srv.Close)
	b.Cleanup(func() { b.ReportMetric(float64(conns.Load())/float64(b.N), "conns/op") })
	return Must(New(Config{URL: srv.URL, Signing: secret, OnSuccess: accountSentence}))
}

// BenchmarkFinish is the finish step of one call: the JSON body built and
// signed, the POST to a loopback backend that verifies it, its answer
// read and turned into verbs.
func BenchmarkFinish(b *testing.B) {
	finish, res := benchFinish(b), benchResult()
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
	finish, res := benchFinish(b), benchResult()
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

// BenchmarkBody is the JSON body of the tutorial's finish step.
func BenchmarkBody(b *testing.B) {
	names, _ := newFieldNames(Config{})
	res := benchResult()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := names.body(res); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is a backend's check of one signed request.
func BenchmarkVerify(b *testing.B) {
	s := testSecret(b, 1)
	v, err := NewVerifier(NewSecrets(s), WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		b.Fatal(err)
	}
	r := signedRequest(s, fixedNow, signedBody)
	body := strings.NewReader(signedBody)
	b.ReportAllocs()
	for b.Loop() {
		body.Reset(signedBody)
		r.Body = io.NopCloser(body)
		if _, err := v.Verify(r); err != nil {
			b.Fatal(err)
		}
	}
}
