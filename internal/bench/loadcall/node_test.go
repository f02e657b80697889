package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/nodetest"
)

// nodeDir is the Node baseline, beside this package.
const nodeDir = "../baseline/node"

var nodeScript = filepath.Join(nodeDir, "server.js")

// nodePackagesInstalled reports whether `npm ci` put the tutorial's two
// packages beside the Node baseline.
func nodePackagesInstalled() bool {
	for _, p := range []string{"twilio", "axios"} {
		if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", p, "package.json")); err != nil {
			return false
		}
	}
	return true
}

// startNode runs the Node baseline with key and env added, and returns
// the address it listens on.
func startNode(t *testing.T, ctx context.Context, key aescrypt.Key, env ...string) string {
	t.Helper()
	env = append(env, "PORT=0", "AES_SECRET="+key.ExportHex())
	line := nodetest.Start(t, ctx, nodeScript, env...)
	addr, ok := strings.CutPrefix(line, "listening on ")
	if !ok {
		t.Fatalf("node baseline did not say where it listens: %q", line)
	}
	return addr
}

// TestNodeBaseline places calls against the Node baseline, when node is
// installed: the shim (BASELINE=bare) always, the tutorial's packages when
// they are installed. Each must answer the tutorial's call and its
// failure, and both must write the same TwiML for the same requests.
func TestNodeBaseline(t *testing.T) {
	nodetest.Path(t)
	key := aescrypt.GenerateKey()
	variants := []struct {
		name     string
		env      []string
		packages bool
	}{
		{"bare", []string{"BASELINE=bare"}, false},
		{"packages", nil, true},
	}
	answers := map[string][]string{}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			if v.packages && !nodePackagesInstalled() {
				t.Skip("twilio and axios not installed: run npm ci in internal/bench/baseline/node")
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			addr := startNode(t, ctx, key, v.env...)
			placeNodeCalls(t, ctx, addr)
			answers[v.name] = nodeAnswers(t, addr, key)
		})
	}
	t.Run("same TwiML", func(t *testing.T) {
		bare, packaged := answers["bare"], answers["packages"]
		if bare == nil || packaged == nil {
			t.Skip("needs both variants")
		}
		for i := range bare {
			if bare[i] != packaged[i] {
				t.Errorf("answer %d differs:\nbare:     %s\npackages: %s", i+1, bare[i], packaged[i])
			}
		}
	})
}

func placeNodeCalls(t *testing.T, ctx context.Context, addr string) {
	tests := []struct {
		name string
		keys []string
		want outcome
	}{
		{"known caller", []string{"1234", "4321"}, ended},
		{"unknown caller", []string{"1234", "0000"}, wrong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDriver("http://"+addr+"/encrypted-gather", "unchecked", tt.keys...)
			r := run(ctx, d, plan{mode: modeCall, calls: 4, concurrency: 2, duration: time.Minute})
			counts := map[outcome]int{ended: r.ended, wrong: r.wrong, failed: r.failed}
			if counts[tt.want] != 4 || len(r.steps) != 3 {
				t.Fatalf("ended %d, wrong %d, failed %d, %d requests a call; %q", r.ended, r.wrong, r.failed, len(r.steps), r.samples)
			}
		})
	}
}

// sealedHex matches a sealed value in an answer: its nonce is random.
var sealedHex = regexp.MustCompile(`encryptedCardDigits=[0-9a-f]+`)

// nodeAnswers sends the tutorial's requests with fixed inputs and returns
// the answers, the server's address and the random sealed values masked.
func nodeAnswers(t *testing.T, addr string, key aescrypt.Key) []string {
	t.Helper()
	card := aescrypt.New(key).Seal([]byte("1234"), nil)
	requests := []struct{ query, digits string }{
		{"", ""},
		{"?step=getPin", "1234"},
		{"?step=processData&encryptedCardDigits=" + card, "4321"},
		{"?step=processData&encryptedCardDigits=" + card, "0000"},
	}
	var out []string
	for _, r := range requests {
		resp, err := http.PostForm("http://"+addr+"/encrypted-gather"+r.query, url.Values{"Digits": {r.digits}})
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d, %v", r.query, resp.StatusCode, err)
		}
		answer := strings.ReplaceAll(string(body), addr, "HOST")
		out = append(out, resp.Header.Get("Content-Type")+" "+sealedHex.ReplaceAllString(answer, "encryptedCardDigits=SEALED"))
	}
	return out
}

// TestNodeBaselineWithoutPackages: without its packages and without
// BASELINE=bare, the server exits at once and says to run npm ci.
func TestNodeBaselineWithoutPackages(t *testing.T) {
	node := nodetest.Path(t)
	src, err := os.ReadFile(nodeScript)
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "server.js")
	if err := os.WriteFile(script, src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(cmd.Environ(), "PORT=0", "BASELINE=", "AES_SECRET="+aescrypt.GenerateKey().ExportHex())
	out, err := cmd.CombinedOutput()
	if err == nil || ctx.Err() != nil {
		t.Fatalf("server did not exit with an error: %v, %s", err, out)
	}
	if !strings.Contains(string(out), "npm ci") {
		t.Errorf("no word of npm ci: %s", out)
	}
}
