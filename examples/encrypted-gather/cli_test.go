package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow/flowtest"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args     []string
		simulate bool
		entries  []string
		insecure bool
		err      error
	}{
		{nil, false, nil, false, nil},
		{[]string{"-insecure-skip-signature-check"}, false, nil, true, nil},
		{[]string{"-simulate"}, true, defaultEntries, false, nil},
		{[]string{"-simulate", "1234", "4321"}, true, []string{"1234", "4321"}, false, nil},
		{[]string{"-simulate", "1234,4321"}, true, []string{"1234", "4321"}, false, nil},
		{[]string{"-simulate=1234,4321"}, true, []string{"1234", "4321"}, false, nil},
		{[]string{"-simulate=,12", "1234", "4321"}, true, []string{"", "12", "1234", "4321"}, false, nil},
		{[]string{"-simulate", ",12#,1234"}, true, []string{"", "12#", "1234"}, false, nil},
		{[]string{"-simulate=true"}, true, defaultEntries, false, nil},
		{[]string{"-simulate", "12a4"}, false, nil, false, errUsage},
		{[]string{"1234"}, false, nil, false, errUsage},
		{[]string{"-nope"}, false, nil, false, errUsage},
		{[]string{"-h"}, false, nil, false, flag.ErrHelp},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			opts, err := parseArgs("encrypted-gather", tt.args, &out)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v\n%s", err, tt.err, out.String())
			}
			if err != nil {
				if !strings.Contains(out.String(), "usage") && !strings.Contains(out.String(), "entry") {
					t.Errorf("no usage or reason printed:\n%s", out.String())
				}
				return
			}
			if opts.simulate != tt.simulate || opts.insecure != tt.insecure || fmt.Sprintf("%q", opts.entries) != fmt.Sprintf("%q", tt.entries) {
				t.Errorf("options %+v, want simulate=%v entries=%q insecure=%v", opts, tt.simulate, tt.entries, tt.insecure)
			}
		})
	}
}

func TestReachedAnswer(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		ok      bool
		unused  string
	}{
		{"known caller", []string{"1234", "4321"}, true, ""},
		{"unknown caller", []string{"1111", "2222"}, true, ""},
		{"extra entries", []string{"1234", "4321", "5555", ""}, true, "2 of the entries: 5555, (silence)"},
		{"too few entries", []string{"1234"}, false, ""},
		{"every attempt used", []string{"", "12", "", "1234"}, false, "1 of the entries: 1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := simulateCall(&out, tt.entries, false)
			if (err == nil) != tt.ok {
				t.Fatalf("simulateCall: %v, want ok=%v\n%s", err, tt.ok, out.String())
			}
			if tt.unused != "" && !strings.Contains(out.String(), "before the caller typed "+tt.unused) {
				t.Errorf("unused entries not reported:\n%s", out.String())
			}
			if tt.name == "unknown caller" && !strings.Contains(out.String(), "outcome=declined") ||
				strings.Contains(out.String(), "finish_failed") {
				t.Errorf("the backend's 404 is not logged as a decline:\n%s", out.String())
			}
			if tt.unused == "" && strings.Contains(out.String(), "before the caller typed") {
				t.Errorf("unused entries reported:\n%s", out.String())
			}
		})
	}
	if err := reachedAnswer(&flowtest.Call{End: flowtest.EndError, Err: errors.New("boom")}); err == nil {
		t.Error("a failed call reached its answer")
	}
}

func TestLogStartup(t *testing.T) {
	var buf bytes.Buffer
	cfg := tutorial.Config{PublicURL: "https://user:hunter2@ivr.example.com"}
	logStartup(slog.New(slog.NewTextHandler(&buf, nil)), cfg, "127.0.0.1:8080", "http://127.0.0.1:1/decrypt-gather", "http://127.0.0.1:2/readyz", false)
	line := buf.String()
	// The built-in backend is not a public route: it has its own listener.
	for _, want := range []string{"public_url=https://ivr.example.com", "routes=[/encrypted-gather]",
		"twilio_webhook=https://ivr.example.com/encrypted-gather", "backend=http://127.0.0.1:1/decrypt-gather"} {
		if !strings.Contains(line, want) {
			t.Errorf("startup line lacks %s:\n%s", want, line)
		}
	}
	if strings.Contains(line, "hunter2") {
		t.Errorf("startup line shows the password:\n%s", line)
	}
}
