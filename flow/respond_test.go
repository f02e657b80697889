package flow

import (
	"net/http/httptest"
	"slices"
	"testing"
)

// TestRespondNoStore: every answer says no-store, and a handler that adds
// to one answer's Cache-Control changes no other answer's.
func TestRespondNoStore(t *testing.T) {
	fx := newFixture(t)
	recs := []*httptest.ResponseRecorder{serve(fx.flow, testWebhook, callForm(testCallSid)), httptest.NewRecorder(), httptest.NewRecorder()}
	for _, rec := range recs[1:] {
		if err := writeAnswer(rec, []byte("<Response><Hangup/></Response>")); err != nil {
			t.Fatal(err)
		}
	}
	for _, rec := range recs {
		if got := rec.Result().Header["Cache-Control"]; !slices.Equal(got, []string{"no-store"}) {
			t.Errorf("Cache-Control = %q, want [no-store]", got)
		}
	}
	recs[1].Header()["Cache-Control"] = append(recs[1].Header()["Cache-Control"], "private")
	recs[2].Header()["Cache-Control"] = append(recs[2].Header()["Cache-Control"], "no-cache")
	recs[2].Header().Add("Cache-Control", "max-age=0")
	if got := recs[1].Header()["Cache-Control"]; !slices.Equal(got, []string{"no-store", "private"}) {
		t.Errorf("after adding to another answer: %q", got)
	}
}
