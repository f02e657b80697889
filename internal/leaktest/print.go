package leaktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Verbs are the fmt verbs a secret might be printed with.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"}

// Outputs returns v as printed each way a program might print it, keyed
// by how: each of Verbs, "slog text", "slog JSON" and "encoding/json".
func Outputs(v any) (map[string]string, error) {
	outputs := make(map[string]string, len(Verbs)+3)
	for _, verb := range Verbs {
		outputs[verb] = fmt.Sprintf(verb, v)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", v)
	outputs["slog text"], outputs["slog JSON"] = text.String(), js.String()
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("leaktest: json.Marshal: %w", err)
	}
	outputs["encoding/json"] = string(j)
	return outputs, nil
}

// Check prints v every way Outputs does and reports an error on t for each
// output holding one of tells. If mustShow is not empty, each fmt verb's
// output must also contain it: a value whose String or Format method fmt
// can reach names the secret by ID instead.
func Check(t testing.TB, v any, tells []string, mustShow string) {
	t.Helper()
	outputs, err := Outputs(v)
	if err != nil {
		t.Fatal(err)
	}
	for how, out := range outputs {
		if tell, ok := Leaked(out, tells); ok {
			t.Errorf("%s printed the secret (%q): %s", how, tell, out)
		}
		if mustShow != "" && strings.HasPrefix(how, "%") && !strings.Contains(out, mustShow) {
			t.Errorf("%s does not show %q: %s", how, mustShow, out)
		}
	}
}
