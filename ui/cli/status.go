package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"faxwatch/api"
	"faxwatch/ui/cli/config"
)

// maxStdinBytes bounds the text read for job IDs: a long ticket, not a disk.
const maxStdinBytes = 4 << 20

// maxSkippedShown bounds the "skipped" lines for one input.
const maxSkippedShown = 20

// statusOptions are status's own flags.
type statusOptions struct {
	format  string
	method  string
	timeout time.Duration
}

func (r *runner) statusCommand() *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   "status [flags] [ID ...]",
		Short: "Look jobs up once and print their status",
		Long: `Looks the jobs up once and prints their status. IDs come from the arguments,
or from standard input when there are none or one of them is "-"; any mix of
spaces, commas and newlines works, so does text pasted from a ticket. Tokens
that look like job IDs but are not valid ones are reported on standard error
and skipped. With --demo and no IDs (standard input a terminal or empty), the
demo jobs are looked up.

Exit codes: 0 the look-up was answered, whatever the jobs' states; 1 the
service could not be asked or refused the call (network, HTTP, auth,
return=false), also when only some batches failed (the answered jobs are
printed, the failures reported on standard error); 2 bad usage, bad config,
or no valid job ID given.`,
		Example: `faxwatch status br0012345h00001x br0012345h00002y
pbpaste | faxwatch status --format csv
faxwatch --demo status --format table`,
		RunE: func(cmd *cobra.Command, args []string) error { return r.status(args, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "", formatUsage)
	f.StringVar(&o.method, "method", "", "status METHOD: GetFaxStatus, GetRealTimeFaxStatus, GetRealTimeFaxStatusEx or GetRealTimeFaxStatusEx2 (default [api] method)")
	f.DurationVar(&o.timeout, "timeout", 0, "give up on the whole look-up after D, e.g. 30s (exit code 1; default: no limit beyond [api] timeout per request)")
	_ = cmd.RegisterFlagCompletionFunc("format", completeFormats)
	_ = cmd.RegisterFlagCompletionFunc("method", cobra.FixedCompletions([]string{
		string(api.MethodGetFaxStatus), string(api.MethodGetRealTimeFaxStatus),
		string(api.MethodGetRealTimeFaxStatusEx), string(api.MethodGetRealTimeFaxStatusEx2)}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// status looks the jobs up once and prints them.
func (r *runner) status(args []string, o statusOptions) error {
	format, err := parseFormat(o.format, r.stdio.Out)
	if err != nil {
		return err
	}
	if o.timeout < 0 {
		return usageErrorf("status: --timeout %s is negative; give a duration such as 30s", o.timeout)
	}
	log, redact, err := r.openDebugLog()
	if err != nil {
		return fail(err)
	}
	// IDs first, so a missing ID never costs a password-manager prompt.
	ids, useDemoJobs, err := r.statusIDs(args)
	if err != nil {
		return err
	}
	s, err := r.loadSettings(log, func(c *config.Config) {
		if o.method != "" {
			c.API.Method = o.method
			c.SetBy("api.method", "--method")
		}
	})
	if err != nil {
		return fail(err)
	}
	prog := r.terminalProgress()
	svc, err := r.openService(s, log, redact, r.warnOnStderr(log), prog.hook())
	if err != nil {
		return fail(err)
	}
	if useDemoJobs {
		ids = s.demo.srv.DemoWatchlist()
	}

	res, err := r.lookUp(svc, ids, o.timeout, prog)
	r.sayWhyUnanswered(res, o.timeout)
	if res == nil {
		return r.serviceError(err, svc, o.timeout, attemptsSaid(res))
	}
	log.Debug("status answered", "jobs", len(res.Jobs), "calls", len(res.Calls), "failures", len(res.Failures), "return", res.Return)

	// The document is printed whatever happened, so a script piping to jq
	// never reads empty input: a job without a usable answer is no_answer
	// with its error, and ws_error and calls say what is known.
	if err := r.printStatus(format, s.cfg.UI.Theme, res); err != nil {
		return failed("cannot write the output: %v", err)
	}
	// Every batch failed, and not because the service refused the call
	// (return=false is reported below, like a partial failure).
	var refused *api.CallError
	if err != nil && !errors.As(err, &refused) {
		return r.serviceError(err, svc, o.timeout, attemptsSaid(res))
	}
	code := r.reportFailures(res, svc)
	if r.ctx.Err() != nil {
		return exitWith(ExitInterrupted)
	}
	return exitWith(code)
}

// lookUp asks for ids within timeout (0: none beyond the client's own),
// showing progress while it waits.
func (r *runner) lookUp(svc *service, ids []api.JobID, timeout time.Duration, prog *progress) (*api.Result, error) {
	ctx := r.ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	defer prog.show(len(ids))()
	if r.preset != nil { // over SSH: the shared poller's answers where fresh
		return r.preset.source.Status(ctx, ids)
	}
	return svc.client.Status(ctx, ids)
}

// statusIDs are the IDs to look up. With --demo and no IDs given (no
// arguments, and standard input a terminal or empty), the demo's jobs are the
// ones to look up: useDemoJobs says so and ids is empty.
func (r *runner) statusIDs(args []string) (ids []api.JobID, useDemoJobs bool, err error) {
	if r.global.demo && len(args) == 0 && isTerminal(r.stdio.In) {
		return nil, true, nil
	}
	ids, empty, err := r.readJobIDs(args)
	if err != nil {
		return nil, false, fail(err)
	}
	useDemoJobs = r.global.demo && len(args) == 0 && empty
	if len(ids) == 0 && !useDemoJobs {
		return nil, false, errNoJobID
	}
	return ids, useDemoJobs, nil
}

// reportFailures says on standard error which batches failed or were
// refused, and gives the exit code the answer deserves.
func (r *runner) reportFailures(res *api.Result, svc *service) int {
	answered := 0
	for _, j := range res.Jobs {
		if j.Err == nil {
			answered++
		}
	}
	code := ExitOK
	for _, f := range res.Failures {
		if ce, ok := errors.AsType[*api.CallError](f.Err); ok {
			r.stderr.Printf("the service refused the call for %d job(s) (return=false): %s%s", len(f.IDs), api.Sanitize(ce.WSError.String()), errorHint(f.Err, svc))
		} else {
			r.stderr.Printf("%d job(s) %s%s%s", len(f.IDs), gotNoAnswer(f.Err), batchAttemptsSaid(res, f), errorHint(f.Err, svc))
		}
		code = ExitFailed
	}
	if answered == 0 && code == ExitOK {
		r.stderr.Printf("the service answered for none of the jobs")
		code = ExitFailed
	}
	return code
}

// gotNoAnswer puts why a batch got no answer after "N job(s)": "got no
// answer within --timeout 2s" for the timeout, not "no answer" twice.
func gotNoAnswer(err error) string {
	if e, ok := errors.AsType[*endedError](err); ok && !e.interrupted {
		return "got " + e.Error()
	}
	return "got no answer: " + firstLine(err.Error())
}

// errInterrupted ends a run the user interrupted (Ctrl+C, SIGTERM).
var errInterrupted = &exitError{code: ExitInterrupted, msg: "interrupted"}

// errNoJobID is said by every command that was given text without a job ID.
var errNoJobID = &exitError{code: ExitUsage, msg: "no valid job ID given; pass IDs such as br0012345h00001x as arguments or on standard input"}

func (r *runner) printStatus(format, theme string, res *api.Result) error {
	switch format {
	case formatJSON:
		return writeStatusJSON(r.stdio.Out, res)
	case formatCSV:
		return writeStatusCSV(r.stdio.Out, res)
	default:
		w, colour := colourWriter(r.stdio.Out, r.getenv)
		return writeStatusTable(w, tablePalette(colour, theme, r.getenv), res)
	}
}

// serviceError reports a call that failed as a whole: exit 1, or 130 when
// the user interrupted it.
// attempts is attemptsSaid's " (3 attempts)".
func (r *runner) serviceError(err error, svc *service, timeout time.Duration, attempts string) error {
	if e := r.endedByUser(err, timeout); e != nil {
		if e.interrupted {
			return errInterrupted
		}
		return failed("%s%s; try again or give a longer --timeout", e, attempts)
	}
	return failed("%s%s%s", firstLine(err.Error()), attempts, errorHint(err, svc))
}

// endedByUser is err said in the words stderr and every job's error share
// when the user cut the look-up short: "interrupted" (Ctrl+C) or "no answer
// within --timeout 2s". It is nil for any other error.
func (r *runner) endedByUser(err error, timeout time.Duration) *endedError {
	switch {
	case r.ctx.Err() != nil && errors.Is(err, context.Canceled):
		return &endedError{interrupted: true, err: err}
	case timeout > 0 && errors.Is(err, context.DeadlineExceeded):
		return &endedError{timeout: timeout, err: err}
	}
	return nil
}

// sayWhyUnanswered rewrites the error of each job and batch that --timeout
// or Ctrl+C left unanswered into endedByUser's sentence, so the JSON, CSV
// and table say what stderr says, not "context deadline exceeded".
func (r *runner) sayWhyUnanswered(res *api.Result, timeout time.Duration) {
	if res == nil {
		return
	}
	reword := func(err error) error {
		if e := r.endedByUser(err, timeout); e != nil {
			return e
		}
		return err
	}
	for i := range res.Jobs {
		if res.Jobs[i].Err != nil {
			res.Jobs[i].Err = reword(res.Jobs[i].Err)
		}
	}
	for i := range res.Failures {
		res.Failures[i].Err = reword(res.Failures[i].Err)
	}
}

// endedError is a context error said in the user's terms; errors.Is still
// finds the context error beneath.
type endedError struct {
	interrupted bool          // Ctrl+C or a signal
	timeout     time.Duration // else --timeout ran out
	err         error
}

func (e *endedError) Error() string {
	if e.interrupted {
		return errInterrupted.msg
	}
	return fmt.Sprintf("no answer within --timeout %s", e.timeout)
}
func (e *endedError) Unwrap() error { return e.err }

// attemptsSaid counts the HTTP requests a look-up made, " (3 attempts)" or
// " (6 attempts for 2 batches)", so a slow failure says how hard it tried.
func attemptsSaid(res *api.Result) string {
	if res == nil || len(res.Calls) == 0 {
		return ""
	}
	if batches := len(res.Failures); batches > 1 {
		return fmt.Sprintf(" (%d attempts for %d batches)", len(res.Calls), batches)
	}
	return " (" + plural(len(res.Calls), "attempt") + ")"
}

// batchAttemptsSaid is attemptsSaid for the one batch f: its last request's
// attempt number.
func batchAttemptsSaid(res *api.Result, f api.BatchError) string {
	for _, j := range res.Jobs {
		if len(f.IDs) > 0 && j.JobID == f.IDs[0] && j.Call.Call.Attempt > 0 {
			return " (" + plural(j.Call.Call.Attempt, "attempt") + ")"
		}
	}
	return ""
}

// plural is "1 attempt", "3 attempts".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
	where := svc.cfg.Describe()
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
func (r *runner) readJobIDs(args []string) (ids []api.JobID, emptyInput bool, err error) {
	var skipped []api.Rejected
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
			rejected = []api.Rejected{api.RejectedArg(arg)}
		}
		ids = append(ids, found...)
		skipped = append(skipped, rejected...)
	}
	if readStdin {
		terminal := isTerminal(r.stdio.In)
		if terminal {
			r.stderr.Printf("reading job IDs from standard input; end with Ctrl+D")
		}
		text, err := readAllOrCancel(r.ctx, r.stdio.In, maxStdinBytes+1)
		if r.ctx.Err() != nil {
			if terminal { // the cursor is after the echoed ^C
				fmt.Fprintln(r.stdio.Err)
			}
			return nil, false, errInterrupted
		}
		if err != nil {
			return nil, false, fmt.Errorf("cannot read standard input: %v", err)
		}
		if len(text) > maxStdinBytes {
			return nil, false, &exitError{code: ExitUsage, msg: fmt.Sprintf("standard input is larger than %d MiB; pass fewer job IDs at once", maxStdinBytes>>20)}
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
			r.stderr.Printf("skipped %d more tokens that are not job IDs", len(skipped)-i)
			break
		}
		// The token is already sanitised: plain quotes, since %q would
		// escape its escapes a second time.
		if s.Reason != "" {
			r.stderr.Printf(`skipped "%s": not a job ID: %s`, s.Token, s.Reason)
			continue
		}
		r.stderr.Printf(`skipped "%s": not a job ID`, s.Token)
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
