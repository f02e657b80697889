package backend

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/encgather/encgather/flow"
)

// fieldNames are the JSON names of the values sent beside the fields.
type fieldNames struct {
	callSid string
	from    string // "" when the caller's number is left out
}

func newFieldNames(c Config) (fieldNames, error) {
	n := fieldNames{callSid: c.CallSidField, from: c.FromField}
	if n.callSid == "" {
		n.callSid = DefaultCallSidField
	}
	if n.from == "" {
		n.from = DefaultFromField
	}
	if c.OmitFrom {
		n.from = ""
	}
	if n.callSid == n.from {
		return n, fmt.Errorf("%w: backend: Config.CallSidField and Config.FromField are the same name", flow.ErrDefinition)
	}
	return n, nil
}

// errFieldName is reported, wrapped in ErrFailed, when a field of the
// flow has a name the body already uses.
var errFieldName = errors.New("a field is named as Config.CallSidField or Config.FromField, or twice")

// body is the JSON object New's Finish sends: r's sealed and plain
// fields, its CallSid and, unless left out, the caller's number.
func (n fieldNames) body(r *flow.Result) ([]byte, error) {
	out := make(map[string]string, len(r.Sealed)+len(r.Plain)+2)
	out[n.callSid] = r.CallSid
	if n.from != "" {
		out[n.from] = r.From
	}
	for _, fields := range []map[string]string{r.Sealed, r.Plain} {
		for name, v := range fields {
			if _, taken := out[name]; taken {
				return nil, errFieldName
			}
			out[name] = v
		}
	}
	return json.Marshal(out)
}
