package tutorial

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
)

func nodeOrSkip(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	return node
}

// TestGoIVRWithNodeBackend runs our IVR against the tutorial's backend
// written with Node's crypto.
func TestGoIVRWithNodeBackend(t *testing.T) {
	node := nodeOrSkip(t)
	key := aescrypt.GenerateKey()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/node_backend.js")
	cmd.Env = append(cmd.Environ(), "AES_SECRET="+key.ExportHex())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	port, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("node backend did not start: %v", err)
	}
	backendURL := "http://127.0.0.1:" + strings.TrimSpace(port) + BackendPath

	finish, err := Finish(backendURL)
	if err != nil {
		t.Fatal(err)
	}
	ivr, err := flow.New(aescrypt.New(key), "token", Steps(), finish, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		keys []string
		want string
	}{
		{[]string{"1234", "4321"}, SaySuccess(KnownAccount, KnownBalance)},
		{[]string{"1234", "0000"}, SayFailure},
	} {
		call := flowtest.NewCaller(ivr, "https://ivr.example.com"+IVRPath, "token").Call(tt.keys...)
		if got := call.Said[len(call.Said)-1]; got != tt.want {
			t.Errorf("keys %v: said %q, want %q\n%s", tt.keys, got, tt.want, call.Transcript())
		}
	}
}

// TestNodeSealedToGoBackend sends values sealed by the tutorial's Node
// encrypt to our backend.
func TestNodeSealedToGoBackend(t *testing.T) {
	node := nodeOrSkip(t)
	key := aescrypt.GenerateKey()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/node_backend.js", "seal", "1234", "4321", "9999")
	cmd.Env = append(cmd.Environ(), "AES_SECRET="+key.ExportHex())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	sealed := strings.Fields(string(out))
	if len(sealed) != 3 {
		t.Fatalf("node printed %q", out)
	}
	h := Backend(aescrypt.New(key))
	body := `{"encryptedCardDigits":"` + sealed[0] + `","encryptedPinDigits":"` + sealed[1] + `"}`
	if code, got := post(h, body); code != 200 || got != `{"account":"AC12345678","balance":"12.55"}` {
		t.Errorf("known caller sealed by Node: %d %s", code, got)
	}
	body = `{"encryptedCardDigits":"` + sealed[0] + `","encryptedPinDigits":"` + sealed[2] + `"}`
	if code, got := post(h, body); code != 404 || got != "No data found" {
		t.Errorf("unknown caller sealed by Node: %d %s", code, got)
	}
}
