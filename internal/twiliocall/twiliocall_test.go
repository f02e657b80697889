package twiliocall

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/encgather/encgather/twiml"
)

func TestAction(t *testing.T) {
	const doc = "https://ivr.example.com/app/gather?step=1"
	tests := []struct {
		name, action, want string
	}{
		{"none: the document's URL", "", doc},
		{"absolute", "https://other.example.com/x", "https://other.example.com/x"},
		{"relative path", "next?step=2", "https://ivr.example.com/app/next?step=2"},
		{"rooted path", "/next", "https://ivr.example.com/next"},
		{"query only", "?step=2", "https://ivr.example.com/app/gather?step=2"},
		{"spaces trimmed", "  next ", "https://ivr.example.com/app/next"},
		{"unparsable, as given", "%zz", "%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Action(doc, tt.action); got != tt.want {
				t.Errorf("Action(%q) = %q, want %q", tt.action, got, tt.want)
			}
		})
	}
}

func TestMethod(t *testing.T) {
	tests := []struct {
		in   twiml.Method
		want string
	}{
		{"", http.MethodPost},
		{twiml.MethodGET, http.MethodGet},
		{twiml.MethodPOST, http.MethodPost},
	}
	for _, tt := range tests {
		t.Run(string(tt.in), func(t *testing.T) {
			if got := Method(tt.in); got != tt.want {
				t.Errorf("Method(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestAppendQuery(t *testing.T) {
	tests := []struct {
		name, target, want string
	}{
		{"no query", "https://h.example.com/p", "https://h.example.com/p?Digits=1"},
		{"a query", "https://h.example.com/p?step=2", "https://h.example.com/p?step=2&Digits=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AppendQuery(tt.target, "Digits=1"); got != tt.want {
				t.Errorf("AppendQuery = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSetHeaders(t *testing.T) {
	tests := []struct {
		name      string
		signature string
		form      bool
		want      map[string]string
	}{
		{"signed form", "c2ln", true, map[string]string{
			"X-Twilio-Signature": "c2ln", "Content-Type": "application/x-www-form-urlencoded",
		}},
		{"unsigned GET", "", false, map[string]string{"X-Twilio-Signature": "", "Content-Type": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "https://h.example.com/", nil)
			SetHeaders(req, tt.signature, tt.form)
			for name, want := range tt.want {
				if got := req.Header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if got := req.Header.Get("User-Agent"); got != "TwilioProxy/1.1" {
				t.Errorf("User-Agent = %q", got)
			}
			if tok := req.Header.Get("I-Twilio-Idempotency-Token"); len(tok) != 32 {
				t.Errorf("idempotency token %q, want 32 hex digits", tok)
			}
			if req.Header.Get("Idempotency-Key") != "" {
				t.Error("an Idempotency-Key lets net/http resend the request")
			}
		})
	}
	a, b := httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRequest(http.MethodGet, "/", nil)
	SetHeaders(a, "", false)
	SetHeaders(b, "", false)
	if a.Header.Get("I-Twilio-Idempotency-Token") == b.Header.Get("I-Twilio-Idempotency-Token") {
		t.Error("two requests share an idempotency token")
	}
}
