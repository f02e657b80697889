package flow

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/encgather/encgather/flow/flowtest"
)

// swapDefaultLogger makes slog.Default() write to the returned buffer for
// the rest of the test.
func swapDefaultLogger(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func TestServeHTTPOnUnbuiltFlow(t *testing.T) {
	var nilFlow *Flow
	for name, f := range map[string]*Flow{"nil": nilFlow, "zero": {}} {
		t.Run(name, func(t *testing.T) {
			logs := swapDefaultLogger(t)
			rec := httptest.NewRecorder()
			f.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, testWebhook, callForm(testCallSid), testAuthToken))
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status %d, want 500", rec.Code)
			}
			if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "flow.New") {
				t.Errorf("log %q, want an error that says to use flow.New", logs.String())
			}
		})
	}
}

// TestDefaultLogger: without WithLogger, a refused request is logged
// through slog.Default(), so a misconfigured service never 403s silently.
func TestDefaultLogger(t *testing.T) {
	logs := swapDefaultLogger(t)
	fx := newFixture(t)
	rec := httptest.NewRecorder()
	fx.flow.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, testWebhook, callForm(testCallSid), "wrong"))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	if !strings.Contains(logs.String(), "outcome=bad_signature") {
		t.Errorf("default log %q, want the refusal", logs.String())
	}
}
