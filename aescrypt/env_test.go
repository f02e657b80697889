package aescrypt

import (
	"errors"
	"strings"
	"testing"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := env[name]; return v, ok }
}

func TestFromLookup(t *testing.T) {
	k1, k2, k3 := GenerateKey(), GenerateKey(), GenerateKey()
	c, err := FromLookup(lookupFrom(map[string]string{
		EnvSecret:         k1.ExportHex(),
		EnvSecretPrevious: " " + k2.ExportHex() + ",," + strings.ToUpper(k3.ExportHex()) + " ,",
	}))
	if err != nil {
		t.Fatal(err)
	}
	keys := c.Keys()
	if len(keys) != 3 || !keys[0].Equal(k1) || !keys[1].Equal(k2) || !keys[2].Equal(k3) {
		t.Fatalf("keys %v", keys)
	}
}

func TestFromLookupErrors(t *testing.T) {
	good := GenerateKey().ExportHex()
	secret := "0123456789abcdef"
	tests := []struct {
		name     string
		env      map[string]string
		variable string
	}{
		{"unset", map[string]string{}, EnvSecret},
		{"empty", map[string]string{EnvSecret: "  "}, EnvSecret},
		{"short", map[string]string{EnvSecret: secret}, EnvSecret},
		{"bad previous", map[string]string{EnvSecret: good, EnvSecretPrevious: good + "," + secret + "zz"}, EnvSecretPrevious},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromLookup(lookupFrom(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.variable) {
				t.Fatalf("err = %v, want one naming %s", err, tt.variable)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), good[:16]) {
				t.Fatalf("error %q quotes a value", err)
			}
			if tt.name != "unset" && tt.name != "empty" && !errors.Is(err, ErrKey) {
				t.Fatalf("err = %v, want ErrKey", err)
			}
		})
	}
}

func TestFromEnv(t *testing.T) {
	k := GenerateKey()
	t.Setenv(EnvSecret, k.ExportHex())
	t.Setenv(EnvSecretPrevious, "")
	c, err := FromEnv()
	if err != nil || !c.Primary().Equal(k) || len(c.Keys()) != 1 {
		t.Fatalf("FromEnv = %v, %v", c, err)
	}
}

// TestFromLookupNamed: a state secret under a name of the service's own,
// with its previous keys; errors name the variable, never the value.
func TestFromLookupNamed(t *testing.T) {
	k1, k2 := GenerateKey(), GenerateKey()
	c, err := FromLookupNamed(lookupFrom(map[string]string{
		"STATE_SECRET":          k1.ExportHex(),
		"STATE_SECRET_PREVIOUS": k2.ExportHex(),
		EnvSecret:               GenerateKey().ExportHex(), // not read
	}), "STATE_SECRET")
	if err != nil {
		t.Fatal(err)
	}
	if keys := c.Keys(); len(keys) != 2 || !keys[0].Equal(k1) || !keys[1].Equal(k2) {
		t.Fatalf("keys %v, want STATE_SECRET then STATE_SECRET_PREVIOUS", keys)
	}
	bad := "0123456789abcdefzz"
	_, err = FromLookupNamed(lookupFrom(map[string]string{"STATE_SECRET": k1.ExportHex(), "STATE_SECRET_PREVIOUS": bad}), "STATE_SECRET")
	if err == nil || !strings.Contains(err.Error(), "STATE_SECRET_PREVIOUS") || strings.Contains(err.Error(), bad) {
		t.Errorf("error %v, want one naming STATE_SECRET_PREVIOUS and not its value", err)
	}
	if _, err := FromLookupNamed(lookupFrom(nil), "STATE_SECRET"); err == nil || !strings.Contains(err.Error(), "STATE_SECRET is not set") {
		t.Errorf("unset: %v", err)
	}
}
