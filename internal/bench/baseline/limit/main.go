// Command limit is the least a server can do to answer the tutorial's
// first and last steps, to measure what this machine allows: loadcall's
// ratios to it show how close a real IVR comes.
//
//	/first           parses the form and writes the getLast4CC Gather, whose
//	                 action is /last: a call against it is two requests
//	/last            parses the form, seals Digits, POSTs the two sealed
//	                 values as JSON to /decrypt-gather over pooled loopback
//	                 connections, and says the account it answers
//	/decrypt-gather  drains the body and answers the tutorial's fixed JSON
//
// It checks no signature and opens nothing. It listens on ADDR (default
// 127.0.0.1:8080) and, like the example IVR, serves its backend itself.
//
//	ADDR=127.0.0.1:9090 go run ./internal/bench/baseline/limit
//	go run ./internal/bench/loadcall -url http://127.0.0.1:9090/first
package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// firstAnswer is the tutorial's getLast4CC step, leading to /last.
const firstAnswer = `<?xml version="1.0" encoding="UTF-8"?><Response>` +
	`<Gather action="/last" method="POST" input="dtmf" timeout="10" numDigits="4">` +
	`<Say>Please enter last 4 digits of your payment card number.</Say></Gather></Response>`

// backendAnswer is the tutorial backend's answer for its known caller.
const backendAnswer = `{"account":"AC12345678","balance":"12.55"}`

// poolSize is the idle connections kept to the backend: more than the
// calls in progress, so no backend request dials.
const poolSize = 512

// limit is the server's state: a key and a pooled client.
type limit struct {
	cipher  *aescrypt.Cipher
	card    string // a sealed card number, sent as is with every PIN
	backend string
	client  *http.Client
	bufs    sync.Pool
}

func newLimit(backendURL string) *limit {
	c := aescrypt.New(aescrypt.GenerateKey())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.Proxy = poolSize, poolSize, nil
	return &limit{
		cipher:  c,
		card:    c.Seal([]byte("1234"), nil),
		backend: backendURL,
		client:  &http.Client{Transport: tr, Timeout: 5 * time.Second},
		bufs:    sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
}

func (l *limit) mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /first", l.first)
	mux.HandleFunc("POST /last", l.last)
	mux.HandleFunc("POST /decrypt-gather", backend)
	return mux
}

func (l *limit) first(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	io.WriteString(w, firstAnswer)
}

func (l *limit) last(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	buf := l.bufs.Get().(*bytes.Buffer)
	defer l.bufs.Put(buf)
	buf.Reset()
	buf.WriteString(`{"encryptedCardDigits":"` + l.card + `","encryptedPinDigits":"`)
	buf.WriteString(l.cipher.Seal([]byte(r.PostForm.Get("Digits")), nil))
	buf.WriteString(`"}`)
	sentence := "We were not able to locate you in our system. Goodbye."
	if a, err := l.post(r, buf.Bytes()); err == nil {
		sentence = "Thank you. Your account number is " + a.Account + " and your balance is " + a.Balance
	}
	buf.Reset()
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Response><Say>`)
	xml.EscapeText(buf, []byte(sentence))
	buf.WriteString(`</Say><Hangup/></Response>`)
	w.Header().Set("Content-Type", "text/xml")
	w.Write(buf.Bytes())
}

// account is the backend's answer.
type account struct {
	Account string `json:"account"`
	Balance string `json:"balance"`
}

func (l *limit) post(r *http.Request, body []byte) (account, error) {
	var a account
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, l.backend, bytes.NewReader(body))
	if err != nil {
		return a, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return a, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return a, err
	}
	if resp.StatusCode != http.StatusOK {
		return a, fmt.Errorf("limit: backend status %d", resp.StatusCode)
	}
	err = json.Unmarshal(answer, &a)
	return a, err
}

func backend(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, backendAnswer)
}

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "limit:", err)
		os.Exit(1)
	}
	l := newLimit("http://" + ln.Addr().String() + "/decrypt-gather")
	srv := &http.Server{Handler: l.mux(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 60 * time.Second}
	fmt.Fprintln(os.Stderr, "limit listening on", ln.Addr())
	fmt.Fprintln(os.Stderr, "limit:", srv.Serve(ln))
	os.Exit(1)
}
