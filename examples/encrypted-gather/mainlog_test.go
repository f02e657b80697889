package main

import (
	"bufio"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
)

// envRunMain makes the test binary run main instead of its tests: the
// server as an operator starts it, in a process of its own.
const envRunMain = "ENCGATHER_TEST_RUN_MAIN"

// TestServerLogSurvivesKill starts the command's server, sends requests it
// refuses at WARN (a bad signature, a bad method), and kills the process
// with SIGKILL as soon as the last answer arrives: the security events must
// already be on stderr, not in a buffer that dies with the process.
func TestServerLogSurvivesKill(t *testing.T) {
	if os.Getenv(envRunMain) == "1" {
		os.Args = []string{"encrypted-gather"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerLogSurvivesKill$")
	cmd.Env = append(os.Environ(), envRunMain+"=1", "ADDR=127.0.0.1:0", "PUBLIC_URL=http://ivr.example.com",
		"TWILIO_AUTH_TOKEN=log-test-token", "AES_SECRET="+aescrypt.GenerateKey().ExportHex(), "REDIS_URL=", "BACKEND_URL=",
		"BACKEND_PUBLIC_KEY=", "BIND_VALUES=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	logs := bufio.NewReader(stderr)
	base := "http://" + listeningAddr(t, logs) + "/encrypted-gather"

	requests := []struct {
		name   string
		method string
		header http.Header
		want   int
	}{
		{"bad signature", http.MethodPost, http.Header{"X-Twilio-Signature": {"AAAA"}}, http.StatusForbidden},
		{"no signature", http.MethodPost, nil, http.StatusForbidden},
		{"bad method", http.MethodPut, nil, http.StatusMethodNotAllowed},
	}
	for _, r := range requests {
		req, err := http.NewRequest(r.method, base, strings.NewReader(url.Values{"CallSid": {"CA0123"}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header = r.header.Clone()
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != r.want {
			t.Fatalf("%s: status %d, want %d", r.name, resp.StatusCode, r.want)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(logs)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(rest), "level=WARN"); got != len(requests) {
		t.Fatalf("%d WARN lines on stderr after SIGKILL, want %d:\n%s", got, len(requests), rest)
	}
}

// listeningAddr reads the server's log up to its startup line and returns
// the address it names.
func listeningAddr(t *testing.T, logs *bufio.Reader) string {
	t.Helper()
	for {
		line, err := logs.ReadString('\n')
		if err != nil {
			t.Fatalf("server exited before it listened: %q, %v", line, err)
		}
		if !strings.Contains(line, "encrypted-gather listening") {
			continue
		}
		for _, field := range strings.Fields(line) {
			if addr, ok := strings.CutPrefix(field, "addr="); ok {
				return addr
			}
		}
		t.Fatalf("startup line names no address: %q", line)
	}
}
