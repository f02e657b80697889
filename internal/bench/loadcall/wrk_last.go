package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/template"
)

// wrkLastLua is the wrk script that replays a pool of prepared last-step
// requests, each at most once; writeWrkLastScript fills it in.
//
//go:embed wrk_last.lua
var wrkLastLua string

var wrkLastTemplate = template.Must(template.New("wrk_last.lua").Parse(wrkLastLua))

// wrkRequest is one prepared request as the script sends it.
type wrkRequest struct {
	method string
	target string // the request URI: path and query
	body   string
	header [][2]string
}

// wrkRequestOf builds the signed request a prepared call holds, as send
// would send it, without sending it.
func wrkRequestOf(p prepared) (wrkRequest, error) {
	req, err := p.c.newRequest(context.Background(), p.h)
	if err != nil {
		return wrkRequest{}, fmt.Errorf("loadcall: %w", err)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return wrkRequest{}, fmt.Errorf("loadcall: %w", err)
	}
	r := wrkRequest{method: req.Method, target: req.URL.RequestURI(), body: string(body)}
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			r.header = append(r.header, [2]string{name, v})
		}
	}
	return r, nil
}

// writeWrkLastScript writes a wrk script that sends each of reqs at most
// once to target, split into shares for as many wrk threads, and counts
// the answers that are not 200 or do not contain expect.
func writeWrkLastScript(w io.Writer, target, expect string, reqs []wrkRequest, shares int) error {
	if err := checkLoopback(target); err != nil {
		return err
	}
	if shares < 1 {
		return fmt.Errorf("loadcall: %d wrk threads", shares)
	}
	var data strings.Builder
	for _, r := range reqs {
		data.WriteString(luaField(r.method))
		data.WriteString("\t" + luaField(r.target))
		data.WriteString("\t" + luaField(r.body))
		for _, h := range r.header {
			data.WriteString("\t" + luaField(h[0]) + "\t" + luaField(h[1]))
		}
		data.WriteByte('\n')
	}
	return wrkLastTemplate.Execute(w, map[string]any{
		"Count":  len(reqs),
		"Target": target,
		"Shares": shares,
		"Expect": luaQuote(expect),
		"Level":  longBracketLevel(data.String()),
		"Data":   data.String(),
	})
}

// fieldEscaper escapes what separates fields and lines in the script's
// data; the script's field() undoes it.
var fieldEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\r", `\r`, "\n", `\n`)

func luaField(s string) string { return fieldEscaper.Replace(s) }

// longBracketLevel returns the equals signs of a Lua long bracket that
// data does not close.
func longBracketLevel(data string) string {
	level := ""
	for strings.Contains(data, "]"+level+"]") {
		level += "="
	}
	return level
}

// luaQuote returns s as a Lua string literal: printable ASCII as is but
// for the quote and backslash, every other byte as a decimal escape.
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\%03d`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// writeWrkLastPool prepares p's calls up to their last request and writes
// those requests to o's wrk script, then reports how many it holds.
func writeWrkLastPool(ctx context.Context, out io.Writer, d *driver, p plan, o options) error {
	held, early := prepareCalls(ctx, d, p)
	reqs := make([]wrkRequest, 0, len(held))
	for _, h := range held {
		r, err := wrkRequestOf(h)
		if err != nil {
			return err
		}
		reqs = append(reqs, r)
	}
	f, err := os.Create(o.wrkLastScript)
	if err != nil {
		return err
	}
	if err := writeWrkLastScript(f, o.url, o.expect, reqs, o.wrkThreads); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if o.format == "kv" {
		fmt.Fprintf(out, "prepared=%d wrong=%d errors=%d seconds=%.3f\n", len(reqs), early.wrong, early.failed, early.elapsed.Seconds())
	} else {
		fmt.Fprintf(out, "%d calls prepared up to their last request in %v, written to %s for %d wrk threads; %d wrong, %d errors\n",
			len(reqs), early.elapsed.Round(1e6), o.wrkLastScript, o.wrkThreads, early.wrong, early.failed)
		for _, s := range early.samples {
			fmt.Fprintln(out, "not as expected:", s)
		}
	}
	if early.wrong+early.failed > 0 {
		return errNotAsExpected
	}
	return nil
}
