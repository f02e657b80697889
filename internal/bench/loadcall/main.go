// Command loadcall places whole signed calls concurrently against a voice
// application on this machine, the way Twilio drives a call, and reports
// calls per second, p50 and p99 latency per request, per call and per
// request of the call, and every call that did not end as expected.
//
// Usage:
//
//	loadcall -url http://127.0.0.1:8080/encrypted-gather -token TOKEN \
//	    -calls 2000 -concurrency 32 -digits 1234,4321 -expect "Your account number is"
//
// Each call starts with a POST carrying a fresh CallSid and the parameters
// Twilio sends; each answer is parsed as TwiML; a Gather's action is
// requested with the next entry of -digits as Digits (an empty entry is
// silence), a Redirect is followed, relative URLs are resolved against the
// document's URL, and every request is signed with X-Twilio-Signature. A
// call ends at a Hangup, a Reject or the end of a document; it ended as
// expected when the last Say it heard contains -expect. No request is ever
// sent twice, so single-use state tokens are fine.
//
// -first-only sends only each call's first webhook. -last-only first
// prepares the calls, untimed, up to the request that carries the last
// entry of -digits, then sends those requests and times only them: the
// throughput of the last step, each with a fresh state.
//
// The run stops after -calls or -duration, whichever comes first. Only
// http URLs on loopback are requested.
//
// -wrk-script prints, instead of placing calls, a wrk script that sends one
// signed first webhook over and over: a call's first request carries no
// state token, so repeating it is what many new calls look like, and wrk
// measures it with far less CPU of its own than this tool spends.
//
// -wrk-last-script FILE measures the last step under wrk without ever
// replaying a state token. It prepares -calls calls as -last-only does
// (within -duration, after -warmup whole calls), reports how many, and
// writes to FILE a wrk script holding each prepared last request, signed
// and ready, instead of sending them. Run it as
//
//	wrk -t2 -c32 -d3s -s FILE URL
//
// The pool is split between -wrk-threads shares (2), which must equal
// wrk's -t (or give the count after the URL: wrk ... URL -- 1); each
// thread sends only its own share, each request at most once, and stops
// once its share is answered. At its end the script prints one line,
//
//	loadcall-wrk pool=N taken=N threads=2 shares=2 sent=S answered=A wrong=W socket_errors=E ran_out=0 seconds=T requests_per_s=R
//
// where wrong counts answers that are not 200 or lack -expect, and
// ran_out=1 says a thread spent its share before -d was over: then the
// rate is over the time answers came (a monotonic clock through LuaJIT's
// ffi), not over wrk's whole duration, which is what wrk's own
// Requests/sec divides by. Size -calls above what the run can send.
//
// compare.sh, beside this command, runs all of this side by side against
// the example IVR (with GOGC=400 from its environment), the bare limit
// server (internal/bench/baseline/limit) and the tutorial's Node server
// (internal/bench/baseline/node) in its two forms: with the twilio and
// axios packages pinned in its package-lock.json (`npm ci` there;
// compare.sh does it when npm is present), and BASELINE=bare, a shim that
// writes the same TwiML without them.
//
// gc.sh, beside them, measures whole calls of the example IVR for each GOGC
// setting given it (Go's defaults and GOGC=400 by default) against the
// limit server, in alternating rounds.
//
// redis.sh, beside them, measures the example IVR with single use on a
// redis-server of its own beside the same IVR with its memory store, in
// alternating rounds, at 8, 32 and 128 concurrent calls: whole calls and
// the last step alone, with p50 and p99, as ratios to the memory store.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"time"
)

// maxDuration bounds -duration: the tool is for short measurements.
const maxDuration = 10 * time.Minute

// options are the command's flags.
type options struct {
	url, token, digits, expect, format string
	cpuProfile                         string
	calls, concurrency, warmup         int
	duration, timeout                  time.Duration
	firstOnly, lastOnly, wrkScript     bool
	wrkLastScript                      string
	wrkThreads                         int
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080/encrypted-gather", "the call's first webhook (http on loopback)")
	flag.StringVar(&o.token, "token", "", "the Twilio auth token that signs each request")
	flag.StringVar(&o.digits, "digits", "1234,4321", "the caller's entries, one per Gather, comma-separated")
	flag.StringVar(&o.expect, "expect", "Your account number is", "text the last Say of every call must contain")
	flag.StringVar(&o.format, "format", "text", "report format: text, or kv (one line of name=value for scripts)")
	flag.IntVar(&o.calls, "calls", 1000, "stop after this many calls")
	flag.IntVar(&o.concurrency, "concurrency", 32, "calls in progress at once")
	flag.IntVar(&o.warmup, "warmup", 0, "whole calls placed first, not counted")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "stop starting calls after this long (at most 10m)")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Second, "bound on each request (Twilio's webhook timeout)")
	flag.BoolVar(&o.firstOnly, "first-only", false, "send only each call's first webhook")
	flag.BoolVar(&o.lastOnly, "last-only", false, "time only the request carrying the last entry, on calls prepared beforehand")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write the tool's own CPU profile to this file")
	flag.BoolVar(&o.wrkScript, "wrk-script", false, "print a wrk script that repeats one signed first webhook, and exit")
	flag.StringVar(&o.wrkLastScript, "wrk-last-script", "", "prepare -calls calls up to their last request and write a wrk script to this file that sends each once")
	flag.IntVar(&o.wrkThreads, "wrk-threads", 2, "wrk threads the -wrk-last-script pool is split between (wrk's -t)")
	flag.Parse()
	if o.wrkScript {
		if err := writeWrkScript(os.Stdout, o.url, o.token); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := load(ctx, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

// errNotAsExpected is returned when any call failed or ended wrongly.
var errNotAsExpected = errors.New("loadcall: some calls did not end as expected")

// load runs the load o describes and writes its report to out.
func load(ctx context.Context, out io.Writer, o options) error {
	p, err := o.plan()
	if err != nil {
		return err
	}
	if err := checkLoopback(o.url); err != nil {
		return err
	}
	d := &driver{
		client:      newClient(o.concurrency, o.timeout),
		url:         o.url,
		token:       o.token,
		keys:        strings.Split(o.digits, ","),
		expect:      o.expect,
		accountSid:  newSid("AC"),
		maxRequests: defaultMaxRequests,
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.warmup > 0 {
		run(ctx, d, plan{mode: modeCall, calls: o.warmup, concurrency: o.concurrency, duration: o.duration})
	}
	if o.wrkLastScript != "" {
		return writeWrkLastPool(ctx, out, d, p, o)
	}
	r := run(ctx, d, p)
	if o.format == "kv" {
		r.writeKV(out)
	} else {
		r.writeText(out, p)
	}
	if r.wrong+r.failed > 0 {
		return errNotAsExpected
	}
	return nil
}

func (o options) plan() (plan, error) {
	p := plan{calls: o.calls, concurrency: o.concurrency, duration: o.duration}
	switch {
	case o.calls < 1 || o.concurrency < 1:
		return p, errors.New("loadcall: -calls and -concurrency must be at least 1")
	case o.duration <= 0 || o.duration > maxDuration:
		return p, fmt.Errorf("loadcall: -duration must be positive and at most %v", maxDuration)
	case o.firstOnly && o.lastOnly:
		return p, errors.New("loadcall: -first-only and -last-only exclude each other")
	case o.wrkLastScript != "" && (o.firstOnly || o.lastOnly):
		return p, errors.New("loadcall: -wrk-last-script excludes -first-only and -last-only")
	case o.wrkLastScript != "" && o.wrkThreads < 1:
		return p, errors.New("loadcall: -wrk-threads must be at least 1")
	case o.format != "text" && o.format != "kv":
		return p, fmt.Errorf("loadcall: unknown -format %q", o.format)
	case o.firstOnly:
		p.mode = modeFirst
	case o.lastOnly:
		p.mode = modeLast
	}
	return p, nil
}

// newClient returns a client whose pool keeps a connection for every call
// in progress, so the load does not dial (and leave sockets in TIME_WAIT)
// per request. It follows no HTTP redirects: Twilio does not either.
func newClient(concurrency int, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = concurrency
	tr.MaxIdleConnsPerHost = concurrency
	tr.DisableCompression = true
	tr.Proxy = nil
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
