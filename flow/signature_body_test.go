package flow

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/encgather/encgather/internal/twiliosig"
)

const statusURL = testPublicURL + "/status"

// bodyRequest is a request to target with body of the given content type,
// signed over signedURL alone, as Twilio signs a request that is not a form.
func bodyRequest(method, target, contentType, body, signedURL string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, signedURL, nil))
	return r
}

// withBodyHash returns target with bodySHA256 for body in its query.
func withBodyHash(target, body string) string {
	return target + "?" + twiliosig.BodyHashParam + "=" + twiliosig.BodySHA256([]byte(body))
}

// TestValidatorBodies checks which bodies the signature covers: a form's
// parameters, or a raw body through bodySHA256; any other body is refused.
func TestValidatorBodies(t *testing.T) {
	const event = `{"CallSid":"CA0123456789abcdef0123456789abcdef","CallStatus":"completed"}`
	const swapped = `{"CallSid":"CA0123456789abcdef0123456789abcdef","CallStatus":"busy"}`
	jsonURL := withBodyHash(statusURL, event)
	form := url.Values{"CallSid": {testCallSid}, "CallStatus": {"completed"}}
	formRequest := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, statusURL, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		r.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, statusURL, form))
		return r
	}
	tests := []struct {
		name     string
		req      func() *http.Request
		ok       bool
		wantBody string // what the handler reads, when ok
	}{
		{"form", formRequest, true, ""},
		{"JSON with its hash signed", func() *http.Request {
			return bodyRequest(http.MethodPost, jsonURL, "application/json", event, jsonURL)
		}, true, event},
		{"JSON swapped under a signed hash", func() *http.Request {
			return bodyRequest(http.MethodPost, jsonURL, "application/json", swapped, jsonURL)
		}, false, ""},
		{"JSON without a hash", func() *http.Request {
			return bodyRequest(http.MethodPost, statusURL, "application/json", swapped, statusURL)
		}, false, ""},
		{"JSON with an upper-case hash", func() *http.Request {
			u := statusURL + "?bodySHA256=" + strings.ToUpper(twiliosig.BodySHA256([]byte(event)))
			return bodyRequest(http.MethodPost, u, "application/json", event, u)
		}, false, ""},
		{"JSON with the hash twice", func() *http.Request {
			u := jsonURL + "&" + twiliosig.BodyHashParam + "=" + twiliosig.BodySHA256([]byte(swapped))
			return bodyRequest(http.MethodPost, u, "application/json", swapped, u)
		}, false, ""},
		{"JSON with the hash signed for another URL", func() *http.Request {
			return bodyRequest(http.MethodPost, jsonURL, "application/json", event, withBodyHash(testPublicURL+"/other", event))
		}, false, ""},
		{"multipart", func() *http.Request {
			body := "--x\r\nContent-Disposition: form-data; name=\"CallStatus\"\r\n\r\nbusy\r\n--x--\r\n"
			return bodyRequest(http.MethodPost, statusURL, "multipart/form-data; boundary=x", body, statusURL)
		}, false, ""},
		{"text", func() *http.Request {
			return bodyRequest(http.MethodPost, statusURL, "text/plain", "CallStatus=busy", statusURL)
		}, false, ""},
		{"no content type", func() *http.Request {
			return bodyRequest(http.MethodPost, statusURL, "", "CallStatus=busy", statusURL)
		}, false, ""},
		{"GET with a body", func() *http.Request {
			return bodyRequest(http.MethodGet, statusURL, "application/x-www-form-urlencoded", "CallStatus=busy", statusURL)
		}, false, ""},
		{"POST without a body", func() *http.Request {
			return bodyRequest(http.MethodPost, statusURL, "", "", statusURL)
		}, true, ""},
	}
	v, err := NewValidator(testAuthToken, WithPublicURL(testPublicURL))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name+"/Middleware", func(t *testing.T) {
			var read string
			h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				read = string(b)
			}))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tt.req())
			if got := rec.Code == http.StatusOK; got != tt.ok {
				t.Fatalf("status %d, want ok = %v", rec.Code, tt.ok)
			}
			if tt.ok && read != tt.wantBody {
				t.Errorf("the handler read %q, want %q", read, tt.wantBody)
			}
		})
		t.Run(tt.name+"/Check", func(t *testing.T) {
			err := v.Check(tt.req())
			if tt.ok && err != nil {
				t.Fatalf("Check = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrSignature) {
				t.Fatalf("Check = %v, want ErrSignature", err)
			}
		})
	}
}

// TestValidatorBodyLimit checks that a body signed through its hash is
// bounded like a form.
func TestValidatorBodyLimit(t *testing.T) {
	v, err := NewValidator(testAuthToken, WithPublicURL(testPublicURL), WithMaxBodyBytes(1024))
	if err != nil {
		t.Fatal(err)
	}
	body := `{"pad":"` + strings.Repeat("x", 2048) + `"}`
	u := withBodyHash(statusURL, body)
	if err := v.Check(bodyRequest(http.MethodPost, u, "application/json", body, u)); !errors.Is(err, ErrSignature) {
		t.Fatalf("Check = %v, want ErrSignature", err)
	}
}

// FuzzValidatorBody sends arbitrary bodies under signed URLs, some with a
// bodySHA256 for another body: a request passes only if its body is a form
// or hashes to the signed bodySHA256, and a hashed body reaches the
// handler whole.
func FuzzValidatorBody(f *testing.F) {
	v, err := NewValidator(testAuthToken, WithPublicURL(testPublicURL))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("application/json", `{"a":1}`, `{"a":1}`, true)
	f.Add("application/json", `{"a":2}`, `{"a":1}`, true)
	f.Add("application/x-www-form-urlencoded", "a=1", "", false)
	f.Add("multipart/form-data; boundary=x", "--x--", "", false)
	f.Add("", "", "", false)
	f.Fuzz(func(t *testing.T, contentType, body, signedBody string, hashed bool) {
		target := statusURL
		if hashed {
			target = withBodyHash(statusURL, signedBody)
		}
		r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		form, formErr := url.ParseQuery(body)
		if hashed || !isForm(r) || formErr != nil {
			form = nil
		}
		r.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, target, form))
		var read []byte
		rec := httptest.NewRecorder()
		v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			read, _ = io.ReadAll(r.Body)
		})).ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			return
		}
		switch {
		case hashed && body != signedBody:
			t.Fatalf("a body swapped under bodySHA256 passed")
		case hashed && string(read) != body:
			t.Fatalf("the handler read %q of %q", read, body)
		case !hashed && body != "" && !isForm(r):
			t.Fatalf("an unsigned %q body passed", contentType)
		}
	})
}
