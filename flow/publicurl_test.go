package flow

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/encgather/encgather/internal/twiliosig"
)

const testPassword = "s3cr3t-pa55"

// TestPublicURLForms checks public URLs as Twilio signs them: with HTTP
// authentication credentials, a port that is not the default and a
// percent-escaped path, each as written in Twilio's configuration. The
// service sees the request after a proxy stripped the public URL's path.
func TestPublicURLForms(t *testing.T) {
	tests := []struct {
		name   string
		public string
	}{
		{"credentials", "https://twilio:" + testPassword + "@ivr.example.com"},
		{"user only", "https://twilio@ivr.example.com"},
		{"port", "https://ivr.example.com:8443"},
		{"default port written", "https://ivr.example.com:443"},
		{"escaped path", "https://ivr.example.com/my%20ivr"},
		{"escaped slash in path", "https://ivr.example.com/a%2Fb/"},
		{"all at once", "https://twilio:" + testPassword + "@ivr.example.com:8443/my%20ivr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			var logs bytes.Buffer
			f, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL, OnSuccess: accountSentence}),
				WithPublicURL(tt.public), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			form := callForm(testCallSid)
			signed := strings.TrimSuffix(tt.public, "/") + "/encrypted-gather"
			req := httptest.NewRequest(http.MethodPost, "/encrypted-gather", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, signed, form))
			rec := httptest.NewRecorder()
			f.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), sayCard) {
				t.Fatalf("signed for %s: got %d %s", signed, rec.Code, rec.Body)
			}

			// A refused request is logged without the password.
			req.Header.Set(signatureHeader, twiliosig.Sign("another-token", signed, form))
			rec = httptest.NewRecorder()
			f.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Fatalf("wrong signature: status %d", rec.Code)
			}
			if !strings.Contains(logs.String(), "bad_signature") || strings.Contains(logs.String(), testPassword) {
				t.Errorf("log:\n%s", logs.String())
			}
		})
	}
}

// TestPublicURLErrorsHideThePassword checks that a refused public URL is
// not quoted with its password.
func TestPublicURLErrorsHideThePassword(t *testing.T) {
	for _, bad := range []string{
		"ftp://twilio:" + testPassword + "@ivr.example.com",
		"https://twilio:" + testPassword + "@ivr.example.com/?q=1",
		"https://twilio:" + testPassword + "@ivr.example.com/#f",
		"https://twilio:" + testPassword + "@ivr.example.com:port",
		"https://twilio:" + testPassword + "@",
	} {
		_, err := NewValidator(testAuthToken, WithPublicURL(bad))
		if !errors.Is(err, ErrDefinition) {
			t.Fatalf("WithPublicURL: err = %v, want ErrDefinition", err)
		}
		if strings.Contains(err.Error(), testPassword) {
			t.Errorf("error quotes the password: %v", err)
		}
	}
}

// TestPrefixStrippedByProxyOrInProcess: Twilio calls
// https://ivr.example.com/ivr/voice/verify in both cases. Behind a proxy
// that strips /ivr, the server sees /voice/verify and the public URL
// carries /ivr; with http.StripPrefix("/ivr", …) inside the server, the
// request line still says /ivr/voice/verify and the public URL has no
// path. Either way the signature checks, and the other setting refuses.
func TestPrefixStrippedByProxyOrInProcess(t *testing.T) {
	const twilioCalls = "https://ivr.example.com/ivr/voice/verify"
	tests := []struct {
		name     string
		public   string
		mount    func(f *Flow) http.Handler
		path     string // the request line's path, as the server sees it
		wantCode int
	}{
		{"proxy strips, public URL has the prefix", "https://ivr.example.com/ivr",
			func(f *Flow) http.Handler { return f }, "/voice/verify", http.StatusOK},
		{"StripPrefix in process, public URL without it", "https://ivr.example.com",
			func(f *Flow) http.Handler { return http.StripPrefix("/ivr", f) }, "/ivr/voice/verify", http.StatusOK},
		{"StripPrefix in process, prefix written twice", "https://ivr.example.com/ivr",
			func(f *Flow) http.Handler { return http.StripPrefix("/ivr", f) }, "/ivr/voice/verify", http.StatusForbidden},
		{"proxy strips, prefix left out", "https://ivr.example.com",
			func(f *Flow) http.Handler { return f }, "/voice/verify", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			f, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}),
				WithPublicURL(tt.public), WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			form := callForm(testCallSid)
			req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, twilioCalls, form))
			rec := httptest.NewRecorder()
			tt.mount(f).ServeHTTP(rec, req)
			if rec.Code != tt.wantCode {
				t.Errorf("status %d, want %d", rec.Code, tt.wantCode)
			}
		})
	}
}

// TestAbsoluteURLsRefuseCredentials: New refuses absolute action URLs
// with a public URL that holds a password, which every action URL would
// then carry; relative ones (the default) are fine.
func TestAbsoluteURLsRefuseCredentials(t *testing.T) {
	fx := newFixture(t)
	public := "https://twilio:" + testPassword + "@ivr.example.com"
	_, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}),
		WithPublicURL(public), WithAbsoluteURLs())
	if !errors.Is(err, ErrDefinition) || !strings.Contains(err.Error(), "WithAbsoluteURLs") || strings.Contains(err.Error(), testPassword) {
		t.Errorf("absolute URLs with credentials: %v, want ErrDefinition naming WithAbsoluteURLs, without the password", err)
	}
	if _, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}),
		WithPublicURL(public)); err != nil {
		t.Errorf("relative URLs with credentials: %v", err)
	}
}
