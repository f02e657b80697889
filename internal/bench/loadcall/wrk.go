package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/encgather/encgather/internal/twiliosig"
)

// writeWrkScript writes a wrk Lua script that POSTs one call's first
// webhook to target, signed with token.
func writeWrkScript(w io.Writer, target, token string) error {
	if err := checkLoopback(target); err != nil {
		return err
	}
	form := callParams(newSid("AC"))
	_, err := fmt.Fprintf(w, "-- one signed first webhook to %s, repeated\n"+
		"wrk.method = \"POST\"\n"+
		"wrk.body = %s\n"+
		"wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n"+
		"wrk.headers[\"X-Twilio-Signature\"] = %s\n",
		target, strconv.Quote(form.Encode()), strconv.Quote(twiliosig.Sign(token, target, form)))
	return err
}
