package main

import (
	"bufio"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// TestNodeBaseline places calls against the Node baseline, when node is
// installed: it must answer the tutorial's call and its failure.
func TestNodeBaseline(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "baseline/node/server.js")
	cmd.Env = append(cmd.Environ(), "PORT=0", "AES_SECRET="+aescrypt.GenerateKey().ExportHex())
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("node baseline did not start: %q, %v", line, err)
	}
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
