package main

import (
	"bytes"
	"errors"
	"html"
	"regexp"
	"strings"
	"testing"
)

const testFlowSid = "FW00000000000000000000000000000000"

// returnRedirect finds the return <Redirect> in a Studio simulation's
// output and returns its URL's query, unescaped.
var returnRedirect = regexp.MustCompile(`<Redirect method="POST">https://webhooks\.twilio\.com/v1/Accounts/AC[0-9a-f]{32}/Flows/` + testFlowSid + `\?FlowEvent=return([^<]*)</Redirect>`)

func TestSimulateStudioCall(t *testing.T) {
	hexRun := regexp.MustCompile(`[0-9a-fA-F]{24,}`)
	tests := []struct {
		name    string
		entries []string
		outcome string
	}{
		{"known caller", defaultEntries, "verified"},
		{"wrong PIN", []string{"1234", "1111"}, "declined"},
		{"silence", []string{"", "", ""}, "too_many_attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := simulateStudioCall(&out, tt.entries, testFlowSid); err != nil {
				t.Fatalf("simulateStudioCall: %v\n%s", err, out.String())
			}
			m := returnRedirect.FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("no return <Redirect> to the Studio flow in:\n%s", out.String())
			}
			query := html.UnescapeString(m[1])
			if !strings.Contains(query, "&outcome="+tt.outcome) {
				t.Errorf("return query %q, want outcome=%s", query, tt.outcome)
			}
			for _, entry := range []string{"1234", "4321", "1111"} {
				if strings.Contains(query, entry) {
					t.Errorf("the return query %q holds the entry %q", query, entry)
				}
			}
			if run := hexRun.FindString(query); run != "" {
				t.Errorf("the return query %q holds the hex run %q", query, run)
			}
		})
	}
}

func TestStudioFlag(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want error
	}{
		{"with -simulate", []string{"-simulate", "-studio", testFlowSid}, nil},
		{"without -simulate", []string{"-studio", testFlowSid}, errUsage},
		{"with -public-key", []string{"-simulate", "-public-key", "-studio", testFlowSid}, errUsage},
		{"not a Flow SID", []string{"-simulate", "-studio", "FW123"}, errUsage},
		{"upper-case hex", []string{"-simulate", "-studio", "FW" + strings.Repeat("A", 32)}, errUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			opts, err := parseArgs("encrypted-gather", tt.args, &out)
			if !errors.Is(err, tt.want) && err != tt.want {
				t.Fatalf("parseArgs: %v, want %v", err, tt.want)
			}
			if err == nil && opts.studio != testFlowSid {
				t.Fatalf("studio = %q", opts.studio)
			}
		})
	}
}
