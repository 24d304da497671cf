package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"faxwatch/api"
)

// maxStdinBytes bounds the text read for job IDs: a long ticket, not a disk.
const maxStdinBytes = 4 << 20

// maxSkippedShown bounds the "skipped" lines for one input.
const maxSkippedShown = 20

func (a *app) cmdStatus(args []string) int {
	fs := a.newFlagSet("status")
	format := fs.String("format", "", "output `format`: table, json or csv")
	method := fs.String("method", "", "status `method` (overrides [api] method)")
	pos, code, ok := a.parse(fs, args)
	if !ok {
		return code
	}
	if err := a.setup(); err != nil {
		return a.fail(err)
	}
	if *format == "" {
		*format = defaultFormat(a.stdout)
	}
	switch *format {
	case formatTable, formatJSON, formatCSV:
	default:
		return a.usageError("status: --format %q: use table, json or csv", *format)
	}
	overrides := func(c *Config) {
		if *method != "" {
			c.API.Method = *method
			c.where["api.method"] = "--method"
		}
	}

	// IDs first, so a missing ID never costs a password-manager prompt.
	// With --demo and no IDs given (no arguments, and standard input a
	// terminal or empty), the demo's jobs are the ones to look up.
	var ids []api.JobID
	useDemoJobs := a.global.demo && len(pos) == 0 && isTerminal(a.stdin)
	if !useDemoJobs {
		var err error
		var empty bool
		if ids, empty, err = a.readJobIDs(pos); err != nil {
			return a.fail(err)
		}
		useDemoJobs = a.global.demo && len(pos) == 0 && empty
		if len(ids) == 0 && !useDemoJobs {
			a.errorf("no valid job ID given; pass IDs such as br0012345h00001x as arguments or on standard input")
			return exitUsage
		}
	}
	svc, err := a.openService(overrides)
	if err != nil {
		return a.fail(err)
	}
	if useDemoJobs {
		ids = svc.demo.srv.DemoWatchlist()
	}

	res, err := svc.client.Status(a.ctx, ids)
	if res == nil {
		return a.serviceError(err, svc)
	}
	a.log.Debug("status answered", "jobs", len(res.Jobs), "calls", len(res.Calls), "failures", len(res.Failures), "return", res.Return)

	// The document is printed whatever happened, so a script piping to jq
	// never reads empty input: a job without a usable answer is no_answer
	// with its error, and ws_error and calls say what is known.
	if err := a.printStatus(*format, res); err != nil {
		a.errorf("cannot write the output: %v", err)
		return exitFailed
	}
	// Every batch failed, and not because the service refused the call
	// (return=false is reported below, like a partial failure).
	var refused *api.CallError
	if err != nil && !errors.As(err, &refused) {
		return a.serviceError(err, svc)
	}
	answered := 0
	for _, j := range res.Jobs {
		if j.Err == nil {
			answered++
		}
	}
	code = exitOK
	for _, f := range res.Failures {
		if ce, ok := errors.AsType[*api.CallError](f.Err); ok {
			a.errorf("the service refused the call for %d job(s) (return=false): %s%s", len(f.IDs), api.Sanitize(ce.WSError.String()), errorHint(f.Err, svc))
		} else {
			a.errorf("%d job(s) got no answer: %s%s", len(f.IDs), firstLine(f.Err.Error()), errorHint(f.Err, svc))
		}
		code = exitFailed
	}
	if answered == 0 && code == exitOK {
		a.errorf("the service answered for none of the jobs")
		code = exitFailed
	}
	if a.ctx.Err() != nil {
		return exitInterrupted
	}
	return code
}

func (a *app) printStatus(format string, res *api.Result) error {
	switch format {
	case formatJSON:
		return writeStatusJSON(a.stdout, res)
	case formatCSV:
		return writeStatusCSV(a.stdout, res)
	default:
		w, colour := colourWriter(a.stdout, a.getenv)
		return writeStatusTable(w, colour, res)
	}
}

// serviceError reports a call that failed as a whole: exit 1, or 130 when
// the user interrupted it.
func (a *app) serviceError(err error, svc *service) int {
	if a.ctx.Err() != nil && errors.Is(err, context.Canceled) {
		a.errorf("interrupted")
		return exitInterrupted
	}
	a.errorf("%s%s", firstLine(err.Error()), errorHint(err, svc))
	return exitFailed
}

// errorHint says what to try for the common failures.
func errorHint(err error, svc *service) string {
	var (
		auth *api.AuthError
		tls  *api.TLSError
		rate *api.RateLimitError
		tr   *api.TransportError
		call *api.CallError
	)
	where := svc.cfg.describe()
	switch {
	case errors.As(err, &auth):
		switch svc.auth.Mode {
		case api.AuthToken:
			return fmt.Sprintf("; check auth.token in %s (it may have expired)", where)
		case api.AuthPIN:
			return fmt.Sprintf("; check api.user_id and auth.pin in %s", where)
		default:
			return fmt.Sprintf("; check auth.token_url, auth.client_id and the client secret in %s", where)
		}
	case errors.As(err, &tls):
		return "; check the endpoint's host name and certificate (behind an intercepting proxy, its CA must be trusted)"
	case errors.As(err, &rate):
		return "; the service is rate limiting: try again later or raise [watch] interval"
	case errors.As(err, &tr):
		return fmt.Sprintf("; check api.endpoint in %s and the network (a proxy is taken from HTTPS_PROXY)", where)
	case errors.As(err, &call) && svc.auth.Mode == api.AuthPIN:
		return fmt.Sprintf("; if it says the login failed, check api.user_id and auth.pin in %s", where)
	}
	return ""
}

// readJobIDs gathers IDs from the arguments and, when there are none or one
// is "-", from standard input. Arguments are checked one by one, so a typo
// is named; standard input is free text, where only tokens that look like
// IDs are reported. emptyInput reports that nothing but blanks was given.
func (a *app) readJobIDs(args []string) (ids []api.JobID, emptyInput bool, err error) {
	var skipped []string
	readStdin := len(args) == 0
	emptyInput = true
	for _, arg := range args {
		if arg == "-" {
			readStdin = true
			continue
		}
		emptyInput = false
		found, rejected := api.ParseJobIDs(arg)
		if len(found) == 0 && len(rejected) == 0 {
			rejected = []string{api.Sanitize(arg)}
		}
		ids = append(ids, found...)
		skipped = append(skipped, rejected...)
	}
	if readStdin {
		if isTerminal(a.stdin) {
			a.errorf("reading job IDs from standard input; end with Ctrl+D")
		}
		text, err := io.ReadAll(io.LimitReader(a.stdin, maxStdinBytes+1))
		if err != nil {
			return nil, false, fmt.Errorf("cannot read standard input: %v", err)
		}
		if len(text) > maxStdinBytes {
			return nil, false, &ConfigError{Msg: fmt.Sprintf("standard input is larger than %d MiB; pass fewer job IDs at once", maxStdinBytes>>20)}
		}
		if strings.TrimSpace(string(text)) != "" {
			emptyInput = false
		}
		found, rejected := api.ParseJobIDs(string(text))
		ids = append(ids, found...)
		skipped = append(skipped, rejected...)
	}
	for i, s := range skipped {
		if i == maxSkippedShown {
			a.errorf("skipped %d more tokens that are not job IDs", len(skipped)-i)
			break
		}
		a.errorf("skipped %q: not a job ID", s)
	}
	return dedupe(ids), emptyInput, nil
}

func dedupe(ids []api.JobID) []api.JobID {
	seen := make(map[api.JobID]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// joinIDs is for messages.
func joinIDs(ids []api.JobID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, " ")
}
