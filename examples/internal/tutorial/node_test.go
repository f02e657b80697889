package tutorial

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/internal/nodetest"
)

// TestGoIVRWithNodeBackend runs our IVR against the tutorial's backend
// written with Node's crypto.
func TestGoIVRWithNodeBackend(t *testing.T) {
	key := aescrypt.GenerateKey()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	port := nodetest.Start(t, ctx, "testdata/node_backend.js", "AES_SECRET="+key.ExportHex())
	backendURL := "http://127.0.0.1:" + port + BackendPath

	finish, err := Finish(backendURL, backend.Secret{}) // the tutorial's Node backend checks no signature
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
	node := nodetest.Path(t)
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
