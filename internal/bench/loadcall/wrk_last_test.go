package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/internal/twiliosig"
)

// scriptData returns the requests a wrk last-step script holds, decoded
// as the script's init and field() decode them.
func scriptData(t *testing.T, script string) []wrkRequest {
	t.Helper()
	const open = "local data = ["
	i := strings.Index(script, open)
	if i < 0 {
		t.Fatalf("no data in the script")
	}
	rest := script[i+len(open):]
	level := rest[:len(rest)-len(strings.TrimLeft(rest, "="))]
	rest, ok := strings.CutPrefix(rest[len(level):], "[\n")
	if !ok {
		t.Fatalf("data does not open a long bracket")
	}
	data, _, ok := strings.Cut(rest, "]"+level+"]")
	if !ok {
		t.Fatalf("data does not close its long bracket")
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\r`, "\r", `\n`, "\n")
	var reqs []wrkRequest
	for _, line := range strings.Split(data, "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 || len(f)%2 == 0 {
			t.Fatalf("%d fields in %q", len(f), line)
		}
		for i := range f {
			f[i] = unescape.Replace(f[i])
		}
		r := wrkRequest{method: f[0], target: f[1], body: f[2]}
		for h := 3; h < len(f); h += 2 {
			r.header = append(r.header, [2]string{f[h], f[h+1]})
		}
		reqs = append(reqs, r)
	}
	return reqs
}

func (r wrkRequest) get(name string) string {
	for _, h := range r.header {
		if h[0] == name {
			return h[1]
		}
	}
	return ""
}

// preparedScript prepares n calls against the example IVR and returns
// their wrk script for shares threads.
func preparedScript(t *testing.T, ivr string, n, shares int, keys ...string) string {
	t.Helper()
	d := testDriver(ivr, testToken, keys...)
	held, early := prepareCalls(context.Background(), d, plan{calls: n, concurrency: 4, duration: time.Minute})
	if len(held) != n || early.calls != 0 {
		t.Fatalf("%d of %d calls prepared; %q", len(held), n, early.samples)
	}
	reqs := make([]wrkRequest, len(held))
	for i, h := range held {
		r, err := wrkRequestOf(h)
		if err != nil {
			t.Fatal(err)
		}
		reqs[i] = r
	}
	var out bytes.Buffer
	if err := writeWrkLastScript(&out, ivr, "Your account number is", reqs, shares); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestWrkLastScript: the script holds every prepared last request once,
// each with its own state token and a signature that checks out, and
// the example IVR has answered none of them.
func TestWrkLastScript(t *testing.T) {
	ivr, seen := tutorialServer(t)
	const n = 20
	script := preparedScript(t, ivr, n, 2, "1234", "4321")
	reqs := scriptData(t, script)
	if len(reqs) != n {
		t.Fatalf("%d requests in the script, want %d", len(reqs), n)
	}
	u, err := url.Parse(ivr)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]bool{}
	for i, r := range reqs {
		target, err := u.Parse(r.target)
		if err != nil {
			t.Fatal(err)
		}
		tokens[target.RawQuery] = true
		form, err := url.ParseQuery(r.body)
		if err != nil {
			t.Fatal(err)
		}
		if r.method != http.MethodPost || target.Path != u.Path || form.Get("Digits") != "4321" {
			t.Errorf("request %d: %s %s with Digits %q", i, r.method, r.target, form.Get("Digits"))
		}
		if !twiliosig.Valid(testToken, target.String(), form, r.get("X-Twilio-Signature")) {
			t.Errorf("request %d: the signature does not check out", i)
		}
	}
	if len(tokens) != n {
		t.Errorf("%d distinct targets among %d requests", len(tokens), n)
	}
	for _, want := range []string{"shares = 2 ", `local expect = "Your account number is"`, "-- 20 prepared"} {
		if !strings.Contains(script, want) {
			t.Errorf("the script lacks %q", want)
		}
	}
	// Two requests a call were sent to prepare it; the last is only written.
	if seen.total != 2*n || seen.replays() != 0 {
		t.Errorf("the IVR saw %d requests, %d replays; want %d, none", seen.total, seen.replays(), 2*n)
	}
}

// oddRequests carry what the script's data must escape.
var oddRequests = []wrkRequest{
	{method: "POST", target: "/echo?a=1", body: "tab\there", header: [][2]string{{"X-Odd", `back\slash`}}},
	{method: "POST", target: "/echo", body: "line\nbreak\r\nand ]] and ]=] and \\t", header: [][2]string{{"X-Odd", "]==]"}}},
	{method: "POST", target: "/echo", body: `"quoted" \\ é`, header: [][2]string{{"X-Odd", "plain"}}},
}

func TestWrkLastScriptEscapes(t *testing.T) {
	var out bytes.Buffer
	if err := writeWrkLastScript(&out, "http://127.0.0.1:1/echo", "ok", oddRequests, 1); err != nil {
		t.Fatal(err)
	}
	got := scriptData(t, out.String())
	if len(got) != len(oddRequests) {
		t.Fatalf("%d requests back, want %d", len(got), len(oddRequests))
	}
	for i, r := range got {
		want := oddRequests[i]
		if r.method != want.method || r.target != want.target || r.body != want.body || r.get("X-Odd") != want.get("X-Odd") {
			t.Errorf("request %d came back as %+v, want %+v", i, r, want)
		}
	}
	if !strings.Contains(out.String(), "local data = [===[\n") {
		t.Errorf("the data's long bracket is not the first level its data does not close")
	}
	if err := writeWrkLastScript(&out, "http://192.0.2.1/x", "ok", oddRequests, 1); err == nil {
		t.Errorf("a URL off this machine was accepted")
	}
}

func TestLuaQuote(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Your account number is", `"Your account number is"`},
		{"quote and backslash", `a"b\c`, `"a\"b\\c"`},
		{"control bytes, digits after", "\n1\x002", `"\0101\0002"`},
		{"UTF-8", "é", `"\195\169"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := luaQuote(tt.in); got != tt.want {
				t.Errorf("luaQuote(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

// wrkSummary runs wrk for a second with script and args (the URL among
// them) and returns the values of the script's loadcall-wrk line.
func wrkSummary(t *testing.T, script string, args ...string) map[string]int {
	t.Helper()
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk not installed")
	}
	file := filepath.Join(t.TempDir(), "last.lua")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, wrk, append([]string{"-d1s", "-s", file}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^loadcall-wrk (.*)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no loadcall-wrk line:\n%s", out)
	}
	values := map[string]int{}
	for _, kv := range strings.Fields(string(m[1])) {
		k, v, _ := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s: %v", kv, err)
		}
		values[k] = int(f)
	}
	return values
}

// TestWrkLastRun runs wrk for real against the example IVR: every
// prepared request is sent once and answered, and wrong answers are
// counted.
func TestWrkLastRun(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk not installed")
	}
	tests := []struct {
		name     string
		keys     []string
		n, wrong int
		threads  int
	}{
		{"known callers, two threads", []string{"1234", "4321"}, 200, 0, 2},
		{"unknown callers are wrong", []string{"1111", "4321"}, 40, 40, 2},
		{"one thread told after the URL", []string{"1234", "4321"}, 40, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ivr, seen := tutorialServer(t)
			script := preparedScript(t, ivr, tt.n, 2, tt.keys...)
			args := []string{"-t" + strconv.Itoa(tt.threads), "-c8", ivr}
			if tt.threads != 2 {
				args = append(args, "--", strconv.Itoa(tt.threads))
			}
			got := wrkSummary(t, script, args...)
			want := map[string]int{"pool": tt.n, "taken": tt.n, "sent": tt.n, "answered": tt.n, "wrong": tt.wrong, "ran_out": 1, "shares": tt.threads, "socket_errors": 0}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s=%d, want %d (%v)", k, got[k], v, got)
				}
			}
			if got["requests_per_s"] <= 0 {
				t.Errorf("no rate: %v", got)
			}
			if seen.total != 3*tt.n || seen.replays() != 0 {
				t.Errorf("the IVR saw %d requests, %d replays; want %d, none", seen.total, seen.replays(), 3*tt.n)
			}
		})
	}
}

// TestWrkLastRunEscapes: the script decodes escaped bodies and headers
// back to the bytes it was given.
func TestWrkLastRunEscapes(t *testing.T) {
	if _, err := exec.LookPath("wrk"); err != nil {
		t.Skip("wrk not installed")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		for _, want := range oddRequests {
			if string(body) == want.body && r.URL.RequestURI() == want.target && r.Header.Get("X-Odd") == want.get("X-Odd") {
				io.WriteString(w, "ok")
				return
			}
		}
		io.WriteString(w, "no such request")
	}))
	defer srv.Close()
	var out bytes.Buffer
	if err := writeWrkLastScript(&out, srv.URL+"/echo", "ok", oddRequests, 1); err != nil {
		t.Fatal(err)
	}
	got := wrkSummary(t, out.String(), "-t1", "-c1", srv.URL+"/echo")
	if got["answered"] != len(oddRequests) || got["wrong"] != 0 {
		t.Errorf("%d answered, %d wrong; want %d, 0", got["answered"], got["wrong"], len(oddRequests))
	}
}
