package main

import (
	"strings"
	"testing"
)

// TestServeConfig checks that serve names every missing or malformed
// variable at once, and never prints a value.
func TestServeConfig(t *testing.T) {
	const badKey = "not-a-key-0123456789"
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing set", map[string]string{}, []string{"AES_SECRET", "TWILIO_AUTH_TOKEN", "PUBLIC_URL"}},
		{"bad key", map[string]string{"AES_SECRET": badKey, "TWILIO_AUTH_TOKEN": "t", "PUBLIC_URL": "https://ivr.example.com"}, []string{"AES_SECRET"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := serve(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }, &strings.Builder{})
			if err == nil {
				t.Fatal("serve started without its configuration")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %s", err, w)
				}
			}
			if strings.Contains(err.Error(), badKey) {
				t.Errorf("error %q prints the value", err)
			}
		})
	}
}
