package flow

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/internal/twiliosig"
)

const formType = "application/x-www-form-urlencoded"

// formRequest is a POST of body to target with the given Content-Type.
func formRequest(target, contentType, body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// valuesOf collects params as url.Values, each name's values in order.
func valuesOf(params []twiliosig.Param) url.Values {
	v := url.Values{}
	for _, p := range params {
		v[p.Name] = append(v[p.Name], p.Value)
	}
	return v
}

func sameValues(a, b url.Values) bool { return maps.EqualFunc(a, b, slices.Equal) }

// manyParams is a body of n parameters.
func manyParams(n int) string {
	pieces := make([]string, n)
	for i := range pieces {
		pieces[i] = fmt.Sprintf("p%d=%d", i, i)
	}
	return strings.Join(pieces, "&")
}

func TestReadForm(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		wantBody    url.Values
		wantQuery   url.Values
	}{
		{"twilio form", "POST", "/x?step=getPin&state=AbC-_9", formType,
			"CallSid=CA1&Digits=1234&From=%2B15005550006&CallerName=Zo%C3%AB+%CE%A9",
			url.Values{"CallSid": {"CA1"}, "Digits": {"1234"}, "From": {"+15005550006"}, "CallerName": {"Zoë Ω"}},
			url.Values{"step": {"getPin"}, "state": {"AbC-_9"}}},
		{"repeated names keep their order", "POST", "/x?a=2&a=1", formType, "k=b&k=a&k=b",
			url.Values{"k": {"b", "a", "b"}}, url.Values{"a": {"2", "1"}}},
		{"empty pieces, names and values", "POST", "/x?&&", formType, "&a&=b&c=&&=",
			url.Values{"a": {""}, "": {"b", ""}, "c": {""}}, url.Values{}},
		{"equals signs in a value", "POST", "/x", formType, "a==b=c", url.Values{"a": {"=b=c"}}, url.Values{}},
		{"escaped separators", "POST", "/x", formType, "a%26b=c%3Dd%25", url.Values{"a&b": {"c=d%"}}, url.Values{}},
		{"invalid UTF-8 kept as bytes", "POST", "/x", formType, "a=%FF%FE", url.Values{"a": {"\xff\xfe"}}, url.Values{}},
		{"charset parameter", "POST", "/x", formType + "; charset=utf-8", "a=1", url.Values{"a": {"1"}}, url.Values{}},
		{"media type in capitals", "POST", "/x", "Application/X-WWW-Form-Urlencoded", "a=1", url.Values{"a": {"1"}}, url.Values{}},
		{"JSON body is not read", "POST", "/x?b=2", "application/json", `{"a":1}`, url.Values{}, url.Values{"b": {"2"}}},
		{"no Content-Type: body not read", "POST", "/x", "", "a=1", url.Values{}, url.Values{}},
		{"GET body is not read", "GET", "/x?CallSid=CA1", formType, "a=1", url.Values{}, url.Values{"CallSid": {"CA1"}}},
		{"exactly the most parameters", "POST", "/x?q=1", formType, manyParams(maxParams - 1),
			func() url.Values { v, _ := url.ParseQuery(manyParams(maxParams - 1)); return v }(), url.Values{"q": {"1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := formRequest(tt.target, tt.contentType, tt.body)
			req.Method = tt.method
			fm, err := readForm(req, DefaultMaxBodyBytes)
			if err != nil {
				t.Fatalf("readForm: %v", err)
			}
			defer fm.release()
			if got := valuesOf(fm.body()); !sameValues(got, tt.wantBody) {
				t.Errorf("body = %v, want %v", got, tt.wantBody)
			}
			if got := valuesOf(fm.query()); !sameValues(got, tt.wantQuery) {
				t.Errorf("query = %v, want %v", got, tt.wantQuery)
			}
		})
	}
}

func TestReadFormRefuses(t *testing.T) {
	tests := []struct {
		name   string
		target string
		body   string
		want   error
	}{
		{"bad escape", "/x", "a=%zz", errEscape},
		{"escape cut short", "/x", "a=1&b=%4", errEscape},
		{"escape at the end of a name", "/x", "a%=1", errEscape},
		{"bad escape in the query", "/x?a=%g0", "", errEscape},
		{"semicolon separator", "/x", "a=1;b=2", errSemicolon},
		{"semicolon in the query", "/x?a=1;b=2", "", errSemicolon},
		{"one parameter too many", "/x", manyParams(maxParams + 1), errTooMany},
		{"too many with the query", "/x?q=1", manyParams(maxParams), errTooMany},
		{"thousands of parameters", "/x", manyParams(5000), errTooMany},
		{"oversized body", "/x", "a=" + strings.Repeat("x", DefaultMaxBodyBytes), errTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, err := readForm(formRequest(tt.target, formType, tt.body), DefaultMaxBodyBytes)
			if !errors.Is(err, tt.want) || !errors.Is(err, errBody) || fm != nil {
				t.Fatalf("readForm = %v, %v; want %v", fm, err, tt.want)
			}
		})
	}
	t.Run("oversized body of unknown length", func(t *testing.T) {
		req := formRequest("/x", formType, "a="+strings.Repeat("x", 2000))
		req.ContentLength = -1
		if _, err := readForm(req, 1024); !errors.Is(err, errTooLarge) {
			t.Fatalf("readForm = %v, want %v", err, errTooLarge)
		}
	})
	t.Run("missing body", func(t *testing.T) {
		req := formRequest("/x", formType, "")
		req.Body = nil
		if _, err := readForm(req, 1024); !errors.Is(err, errNoBody) {
			t.Fatalf("readForm = %v, want %v", err, errNoBody)
		}
	})
}

func TestReadFormParsedBefore(t *testing.T) {
	req := formRequest("/x?step=a", formType, "Digits=1&Digits=2")
	if err := req.ParseForm(); err != nil {
		t.Fatal(err)
	}
	fm, err := readForm(req, DefaultMaxBodyBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer fm.release()
	if got := valuesOf(fm.body()); !sameValues(got, req.PostForm) {
		t.Errorf("body = %v, want %v", got, req.PostForm)
	}
	if got := valuesOf(fm.query()); !sameValues(got, url.Values{"step": {"a"}}) {
		t.Errorf("query = %v", got)
	}
}

// TestValidatorCheckLeavesForm: Check reads the body, so it leaves the form
// where a handler behind Middleware looks for it.
func TestValidatorCheckLeavesForm(t *testing.T) {
	v, err := NewValidator(testAuthToken, WithPublicURL(testPublicURL))
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"CallSid": {testCallSid}, "Digits": {"1", "2"}}
	target := testWebhook + "?step=x"
	req := flowtest.NewRequest(http.MethodPost, target, form, testAuthToken)
	if err := v.Check(req); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if !sameValues(req.PostForm, form) {
		t.Errorf("PostForm = %v, want %v", req.PostForm, form)
	}
	if got := req.Form.Get("step"); got != "x" || len(req.Form["Digits"]) != 2 {
		t.Errorf("Form = %v", req.Form)
	}
}

// TestTooManyParamsBeforeSignature: an absurd request is refused as
// malformed, 400, before any signature is checked.
func TestTooManyParamsBeforeSignature(t *testing.T) {
	fx := newFixture(t)
	for _, n := range []int{maxParams + 1, 10000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := formRequest(testWebhook, formType, manyParams(n))
			req.Header.Set(signatureHeader, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
			fx.flow.ServeHTTP(rec, req)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", rec.Code)
			}
		})
	}
	t.Run("signed and within the limit", func(t *testing.T) {
		form := callForm(testCallSid)
		for i := len(form); i < maxParams; i++ {
			form.Set(fmt.Sprint("p", i), "1")
		}
		if rec := serve(fx.flow, testWebhook, form); rec.Code != http.StatusOK || apologized(rec) {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

// TestRepeatedParams: a signed request with two values for a parameter the
// engine reads gets the apology; one the engine does not read is no
// matter, nor is the flow's own parameter in the body, which is not read.
func TestRepeatedParams(t *testing.T) {
	fx := newFixture(t)
	action := fx.firstStep(t, fx.flow)
	u, _ := url.Parse(action)
	q := u.Query()
	tests := []struct {
		name      string
		query     url.Values
		form      url.Values
		apologize bool
	}{
		{"Digits twice, the same", q, url.Values{"CallSid": {testCallSid}, "Digits": {"1234", "1234"}}, true},
		{"Digits twice", q, url.Values{"CallSid": {testCallSid}, "Digits": {"1234", "9999"}}, true},
		{"Digits empty and not", q, url.Values{"CallSid": {testCallSid}, "Digits": {"", "1234"}}, true},
		{"CallSid twice", q, url.Values{"CallSid": {testCallSid, testCallSid}, "Digits": {"1234"}}, true},
		{"AccountSid twice", q, url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}, "AccountSid": {"AC1", "AC2"}}, true},
		{"CallStatus twice", q, url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}, "CallStatus": {"in-progress", "completed"}}, true},
		{"Digits in body and query", url.Values{stepParam: q[stepParam], stateParam: q[stateParam], "Digits": {"1234"}},
			url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}}, true},
		{"step twice", url.Values{stepParam: {"getLast4CC", "getLast4CC"}, stateParam: q[stateParam]},
			url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}}, true},
		{"state twice", url.Values{stepParam: q[stepParam], stateParam: {q.Get(stateParam), q.Get(stateParam)}},
			url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}}, true},
		{"another name twice", q, url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}, "X": {"1", "2"}}, false},
		{"state in the body too", q, url.Values{"CallSid": {testCallSid}, "Digits": {"1234"}, stateParam: {"x"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A token answers once: each case gets its own, in the place
			// the table put the first one.
			fresh, _ := url.Parse(fx.firstStep(t, fx.flow))
			query := url.Values{}
			for name, values := range tt.query {
				for _, v := range values {
					if name == stateParam && v == q.Get(stateParam) {
						v = fresh.Query().Get(stateParam)
					}
					query.Add(name, v)
				}
			}
			target := testWebhook + "?" + query.Encode()
			rec := serve(fx.flow, target, tt.form)
			if apologized(rec) != tt.apologize {
				t.Fatalf("apologized = %v, want %v: %d %s", !tt.apologize, tt.apologize, rec.Code, rec.Body)
			}
			if !tt.apologize && !strings.Contains(rec.Body.String(), sayPin) {
				t.Fatalf("want the PIN step: %s", rec.Body)
			}
		})
	}
}

// FuzzReadForm checks the parser against url.ParseQuery: for every body
// and query ParseQuery accepts, within the parameter limit, the same pairs
// in the same order; for every one it refuses, an error. It never panics.
func FuzzReadForm(f *testing.F) {
	f.Add("CallSid=CA1&Digits=1234&From=%2B1500&Caller+Name=a+b", "step=getPin&state=AbC")
	f.Add("a=%zz&b", "")
	f.Add("&&a==&=;", "%")
	f.Add("a=%4", "b=%41%42+")
	f.Add("a=\xff%ff", "&")
	f.Add(manyParams(maxParams+1), "")
	f.Fuzz(func(t *testing.T, body, query string) {
		req := formRequest("/x", formType, body)
		req.URL.RawQuery = query
		fm, err := readForm(req, DefaultMaxBodyBytes)
		wantBody, errBodyQ := url.ParseQuery(body)
		wantQuery, errQuery := url.ParseQuery(query)
		if errBodyQ != nil || errQuery != nil {
			if err == nil {
				t.Fatalf("readForm accepts %q ? %q, which ParseQuery refuses: %v %v", body, query, errBodyQ, errQuery)
			}
			return
		}
		if err != nil {
			if errors.Is(err, errTooMany) && countValues(wantBody)+countValues(wantQuery) > maxParams ||
				errors.Is(err, errTooLarge) && len(body) > DefaultMaxBodyBytes {
				return
			}
			t.Fatalf("readForm refuses %q ? %q, which ParseQuery accepts: %v", body, query, err)
		}
		defer fm.release()
		if got := valuesOf(fm.body()); !sameValues(got, wantBody) {
			t.Fatalf("body %q: got %q, ParseQuery %q", body, got, wantBody)
		}
		if got := valuesOf(fm.query()); !sameValues(got, wantQuery) {
			t.Fatalf("query %q: got %q, ParseQuery %q", query, got, wantQuery)
		}
	})
}

func countValues(v url.Values) int {
	n := 0
	for _, vs := range v {
		n += len(vs)
	}
	return n
}

// TestReleaseClears: a released form's buffer holds nothing of the request,
// escaped or not, for the next request to find.
func TestReleaseClears(t *testing.T) {
	req := formRequest("/x?state=AbC", formType, "Digits=%38%36%34%32&From=%2B1500&Raw=8642")
	fm, err := readForm(req, DefaultMaxBodyBytes)
	if err != nil {
		t.Fatal(err)
	}
	buf := fm.buf[:cap(fm.buf)]
	fm.release()
	if i := slices.IndexFunc(buf, func(c byte) bool { return c != 0 }); i >= 0 {
		t.Fatalf("byte %d of the released buffer is %q", i, buf[i])
	}
}
