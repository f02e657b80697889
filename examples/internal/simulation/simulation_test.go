package simulation

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestEntries(t *testing.T) {
	if got := Entries([]string{"1234", "", "4321"}); got != "1234, (silence), 4321" {
		t.Errorf("Entries = %q", got)
	}
}

func TestShowRequestsAndLogger(t *testing.T) {
	var out bytes.Buffer
	h := ShowRequests(&out, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body) // the body is still there for the handler
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "No data found for "+string(body))
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/decrypt-gather", strings.NewReader(`{"a":"b"}`)))
	Logger(&out, "ivr log: ").Info("flow request", "outcome", "asked")
	want := "backend <- POST /decrypt-gather (unsigned) {\"a\":\"b\"}\nbackend -> 404 No data found for {\"a\":\"b\"}\nivr log: level=INFO msg=\"flow request\" outcome=asked\n"
	if out.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), want)
	}
}
