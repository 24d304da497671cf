package cli

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"faxwatch/api"
	"faxwatch/ui/style"
)

// progressDelay keeps a quick look-up free of flicker: the line appears
// after it, or at once when a request is retried.
const progressDelay = time.Second

// progress is the line status shows on standard error while it waits for
// Concord, when standard error is a terminal:
//
//	asking Concord for 3 jobs… 12s, attempt 2 of 3
//
// It is erased when the look-up ends; standard output never sees it.
type progress struct {
	out         *reporter
	width       int // terminal columns; 0 when unknown
	jobs        int
	maxAttempts int
	now         func() time.Time

	mu      sync.Mutex
	start   time.Time
	attempt int  // the highest attempt started, over all batches
	shown   bool // drawn at least once
	done    bool
}

func newProgress(out *reporter, width, maxAttempts int, now func() time.Time) *progress {
	return &progress{out: out, width: width, maxAttempts: maxAttempts, now: now, start: now()}
}

// begin starts the clock for a look-up of jobs.
func (p *progress) begin(jobs int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.jobs, p.start = jobs, p.now()
}

// onAttempt is api's OnAttempt: a retry is news, shown at once.
func (p *progress) onAttempt(call api.Call) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.attempt = max(p.attempt, call.Attempt)
	if p.attempt > 1 {
		p.drawLocked()
	}
}

// tick redraws the elapsed time, once progressDelay has passed.
func (p *progress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown || p.now().Sub(p.start) >= progressDelay {
		p.drawLocked()
	}
}

// stop erases the line; nothing is drawn after it.
func (p *progress) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = true
	p.out.setStatus("")
}

func (p *progress) drawLocked() {
	if p.done {
		return
	}
	p.shown = true
	line := p.line()
	if p.width > 1 { // a wrapped line could not be erased
		line = style.Truncate(line, p.width-1)
	}
	p.out.setStatus(line)
}

func (p *progress) line() string {
	jobs := "1 job"
	if p.jobs != 1 {
		jobs = fmt.Sprintf("%d jobs", p.jobs)
	}
	line := fmt.Sprintf("asking Concord for %s… %ds", jobs, int(p.now().Sub(p.start)/time.Second))
	switch {
	case p.attempt > p.maxAttempts: // a replay with a fresh token
		line += fmt.Sprintf(", attempt %d", p.attempt)
	case p.attempt > 0:
		line += fmt.Sprintf(", attempt %d of %d", p.attempt, p.maxAttempts)
	}
	return line
}

// run ticks p until quit is closed, then erases the line.
func (p *progress) run(tick <-chan time.Time, quit <-chan struct{}) {
	for {
		select {
		case <-tick:
			p.tick()
		case <-quit:
			p.stop()
			return
		}
	}
}

// terminalProgress is the progress line for a look-up when standard error
// is a terminal, else nil.
func (r *runner) terminalProgress() *progress {
	f, ok := r.stdio.Err.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil {
		width = 0
	}
	return newProgress(r.stderr, width, api.DefaultMaxAttempts, time.Now)
}

// show runs p for a look-up of jobs, ticking each second; the returned
// function erases the line and returns once it is gone. A nil p shows nothing.
func (p *progress) show(jobs int) (stop func()) {
	if p == nil {
		return func() {}
	}
	p.begin(jobs)
	ticker := time.NewTicker(time.Second)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		p.run(ticker.C, quit)
		close(done)
	}()
	return func() {
		ticker.Stop()
		close(quit)
		<-done
	}
}

// hook is p's OnAttempt for api.Options, nil when p is.
func (p *progress) hook() func(api.Call) {
	if p == nil {
		return nil
	}
	return p.onAttempt
}
