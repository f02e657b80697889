package aescrypt

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/internal/nodetest"
)

// TestNodeInterop runs the tutorial's own Node.js code: Node opens what we
// seal, we open what Node seals, and Node reproduces the golden vectors
// byte for byte.
func TestNodeInterop(t *testing.T) {
	node := nodetest.Path(t)
	key, _ := ParseKey(tutorialKey)
	c := New(key)
	plaintexts := []string{"1234", "4321", "", "4111111111111111"}
	var ours []string
	for _, p := range plaintexts {
		ours = append(ours, c.Seal([]byte(p), nil))
	}
	job, _ := json.Marshal(map[string]any{
		"key": tutorialKey, "plaintexts": plaintexts, "sealed": ours, "vectors": loadVectors(t),
	})

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/interop.js")
	cmd.Stdin = strings.NewReader(string(job))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var answer struct{ Sealed, Opened, Vectors []string }
	if err := json.Unmarshal(out, &answer); err != nil {
		t.Fatalf("node answer %q: %v", out, err)
	}

	for i, p := range plaintexts {
		if answer.Opened[i] != p {
			t.Errorf("Node opened our seal of %q as %q", p, answer.Opened[i])
		}
		got, err := c.Open(answer.Sealed[i], nil)
		if err != nil || string(got) != p {
			t.Errorf("we opened Node's seal of %q as %q, %v", p, got, err)
		}
		if len(answer.Sealed[i]) != len(ours[i]) {
			t.Errorf("Node's sealed length %d, ours %d", len(answer.Sealed[i]), len(ours[i]))
		}
	}
	for i, v := range loadVectors(t) {
		if v.AD != "" {
			continue // the tutorial's code uses no additional data
		}
		if answer.Vectors[i] != v.Sealed {
			t.Errorf("vector %q: Node made %s, want %s", v.Name, answer.Vectors[i], v.Sealed)
		}
	}
}
