package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/encgather/encgather/internal/twiliocall"
	"github.com/encgather/encgather/internal/twiliosig"
	"github.com/encgather/encgather/twiml"
)

// driver places calls the way Twilio drives them: a first webhook, then
// each Gather's action with the caller's digits or each Redirect, every
// request signed, until the call ends. It never sends a request twice, so
// it works against an application whose state tokens are single-use.
type driver struct {
	client      *http.Client
	url         string   // the call's first webhook
	token       string   // the auth token that signs each request
	keys        []string // the caller's entries, one per Gather; "" is silence
	expect      string   // the final Say must contain it
	accountSid  string
	maxRequests int
}

// defaultMaxRequests is how many webhook requests one call may make before it
// counts as a loop.
const defaultMaxRequests = 20

// errNotLoopback refuses a request that would leave the machine.
var errNotLoopback = errors.New("loadcall: URL is not on loopback")

// outcome is how a call ended.
type outcome int

const (
	ended  outcome = iota // ended, and its final Say holds the expected text
	wrong                 // ended some other way: another sentence, a Reject, a loop
	failed                // a request failed, was not 2xx, or its answer was not TwiML
)

// call is one call in progress and, once ended, its record.
type call struct {
	d       *driver
	form    url.Values      // the call's parameters, sent with every request
	body    string          // form encoded once: it changes only by a Gather's additions
	next    int             // the next entry of d.keys
	said    string          // the last Say heard
	steps   []time.Duration // each request's latency, in order
	started time.Time
	total   time.Duration // from the first request sent to the last answer read
	end     outcome
	why     string // for a wrong or failed call: what happened
}

// hop is a request the call leads to.
type hop struct {
	method string
	url    string
	digits string
	gather bool // the request ends a Gather: it carries Digits
	last   bool // the Gather took the caller's last entry
}

func (d *driver) newCall() *call {
	form := callParams(d.accountSid)
	return &call{d: d, form: form, body: form.Encode()}
}

// firstHop is the call's first webhook.
func (d *driver) firstHop() *hop {
	return &hop{method: http.MethodPost, url: d.url}
}

// place runs a whole call.
func (d *driver) place(ctx context.Context) *call {
	c := d.newCall()
	c.run(ctx, d.firstHop(), func(*hop) bool { return false })
	return c
}

// prepare runs a call up to the request that carries the caller's last
// entry and returns that request unsent; finish sends it. A nil hop means
// the call ended (or failed) before it got there.
func (d *driver) prepare(ctx context.Context) (*call, *hop) {
	c := d.newCall()
	held := c.run(ctx, d.firstHop(), func(h *hop) bool { return h.last })
	return c, held
}

// finish sends a prepared request and follows the call to its end; only
// the time from that request on is recorded.
func (c *call) finish(ctx context.Context, h *hop) {
	c.steps, c.started = c.steps[:0], time.Time{}
	c.run(ctx, h, func(*hop) bool { return false })
}

// first sends only the call's first webhook and checks that it asks for
// digits.
func (d *driver) first(ctx context.Context) *call {
	c := d.newCall()
	doc, err := c.send(ctx, d.firstHop())
	c.stop()
	switch {
	case err != nil:
		c.fail(err)
	case !hasGather(doc):
		c.end, c.why = wrong, "the first answer has no Gather"
	default:
		c.end = ended
	}
	return c
}

// run sends h and follows the answers until the call ends, or returns
// the first hop for which hold is true, unsent.
func (c *call) run(ctx context.Context, h *hop, hold func(*hop) bool) *hop {
	for h != nil {
		if hold(h) {
			return h
		}
		if len(c.steps) >= c.d.maxRequests {
			c.end, c.why = wrong, fmt.Sprintf("no end after %d requests", len(c.steps))
			break
		}
		doc, err := c.send(ctx, h)
		if err != nil {
			c.fail(err)
			break
		}
		h = c.follow(doc, h.url)
	}
	c.stop()
	return nil
}

// stop records the call's length.
func (c *call) stop() {
	if !c.started.IsZero() {
		c.total = time.Since(c.started)
	}
}

func (c *call) fail(err error) {
	c.end, c.why = failed, err.Error()
}

// follow plays a document as Twilio would and returns the request it
// leads to, or nil when the call ends, having set how it ended.
func (c *call) follow(doc *twiml.Response, docURL string) *hop {
	for _, v := range doc.Verbs {
		switch v := v.(type) {
		case twiml.Say:
			c.said = v.Text
		case twiml.Gather:
			if next := c.gather(v, docURL); next != nil {
				return next
			}
		case twiml.Redirect:
			return &hop{method: twiliocall.Method(v.Method), url: twiliocall.Resolve(docURL, v.URL)}
		case twiml.Hangup:
			c.judge("hangup")
			return nil
		case twiml.Reject:
			c.end, c.why = wrong, "rejected"
			return nil
		}
	}
	c.judge("end of document")
	return nil
}

// judge sets how a call that ended normally went.
func (c *call) judge(how string) {
	if c.said != "" && strings.Contains(c.said, c.d.expect) {
		c.end = ended
		return
	}
	c.end, c.why = wrong, fmt.Sprintf("%s after %q", how, c.said)
}

// gather hears the nested Say, types the next entry, and returns the
// action request, or nil when the caller is silent and the document goes on.
func (c *call) gather(g twiml.Gather, docURL string) *hop {
	for _, v := range g.Verbs {
		if s, ok := v.(twiml.Say); ok {
			c.said = s.Text
		}
	}
	entry := ""
	if c.next < len(c.d.keys) {
		entry = c.d.keys[c.next]
		c.next++
	}
	if g.NumDigits > 0 && len(entry) > g.NumDigits {
		entry = entry[:g.NumDigits]
	}
	if entry == "" && !g.ActionOnEmptyResult {
		return nil
	}
	return &hop{method: twiliocall.Method(g.Method), url: twiliocall.Action(docURL, g.Action), digits: entry, gather: true, last: c.next == len(c.d.keys)}
}

// newRequest builds the signed webhook request h leads to, as Twilio
// would send it.
func (c *call) newRequest(ctx context.Context, h *hop) (*http.Request, error) {
	body := c.body
	if h.gather {
		c.form["Digits"] = []string{h.digits}
		c.form["FinishedOnKey"] = []string{""}
		c.form["msg"] = []string{"Gather End"}
		defer func() { delete(c.form, "Digits"); delete(c.form, "FinishedOnKey"); delete(c.form, "msg") }()
		body += "&Digits=" + url.QueryEscape(h.digits) + "&FinishedOnKey=&msg=Gather+End"
	}
	target, signed := h.url, c.form
	if h.method == http.MethodGet {
		target, signed, body = twiliocall.AppendQuery(h.url, body), nil, ""
	}
	req, err := http.NewRequestWithContext(ctx, h.method, target, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	twiliocall.SetHeaders(req, twiliosig.Sign(c.d.token, target, signed), body != "")
	return req, nil
}

// send makes one signed webhook request, records its latency and parses
// its answer.
func (c *call) send(ctx context.Context, h *hop) (*twiml.Response, error) {
	if err := checkLoopback(h.url); err != nil {
		return nil, err
	}
	req, err := c.newRequest(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("loadcall: request %d: %w", len(c.steps)+1, err)
	}
	start := time.Now()
	if c.started.IsZero() {
		c.started = start
	}
	status, answer, err := c.d.do(req)
	c.steps = append(c.steps, time.Since(start))
	if err != nil {
		return nil, fmt.Errorf("loadcall: request %d: %w", len(c.steps), err)
	}
	if status < 200 || status > 299 {
		return nil, fmt.Errorf("loadcall: request %d: status %d", len(c.steps), status)
	}
	doc, err := twiml.Parse(answer)
	if err != nil {
		return nil, fmt.Errorf("loadcall: request %d: answer is not TwiML: %w", len(c.steps), err)
	}
	return doc, nil
}

// do sends req and reads the answer, up to Twilio's document limit and one
// byte more, so an oversized answer fails to parse.
func (d *driver) do(req *http.Request) (int, []byte, error) {
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, twiml.MaxDocumentSize+1))
	return resp.StatusCode, answer, err
}

func hasGather(doc *twiml.Response) bool {
	for _, v := range doc.Verbs {
		if _, ok := v.(twiml.Gather); ok {
			return true
		}
	}
	return false
}

// checkLoopback refuses any URL but http on a loopback address: the tool
// loads this machine only.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" {
		return fmt.Errorf("%w: %q", errNotLoopback, raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q", errNotLoopback, raw)
	}
	return nil
}
