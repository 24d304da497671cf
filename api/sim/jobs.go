package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Outcomes of a job's timeline.
type outcome int

const (
	outcomeSucceeded outcome = iota
	outcomeFailed
	outcomeHeld // ends in the undocumented status 7 and stays there
)

// statusHeld is a FaxJobStatusId the vendor does not document, so that
// clients show "unknown (7)" honestly instead of guessing.
const statusHeld = 7

// RecipientState values are undocumented; these are the simulator's.
const (
	recipientQueued = iota
	recipientDialing
	recipientSending
	recipientDelivered
	recipientFailed
)

// failure is a realistic way for a fax to fail. Codes are the simulator's own
// (Concord documents none besides -5019); strings read like a fax server's.
type failure struct {
	code        int
	text        string // WSError.ErrorString
	description string // StatusDescription; %d verbs get page numbers
	connected   bool   // fails during transmission rather than while dialing
}

var failures = []failure{
	{code: 4001, text: "Line busy (3 attempts)", description: "Failed: line busy"},
	{code: 4002, text: "No answer (3 attempts)", description: "Failed: no answer"},
	{code: 4003, text: "No fax tone detected: voice line or answering machine", description: "Failed: no fax tone"},
	{code: 4004, text: "Call dropped during transmission", description: "Failed: call dropped on page %d of %d", connected: true},
	{code: 4005, text: "Invalid fax number: number not in service", description: "Failed: invalid number"},
	{code: 4006, text: "Remote fax refused the document (T.30 DCN)", description: "Failed: rejected by receiver on page %d of %d", connected: true},
}

const (
	failBusy = iota
	failNoAnswer
	failNoTone
	failDropped
	failInvalidNumber
	failRefused
)

// job is one simulated fax with a fixed timeline: queued until start, dialing
// for dial, then pages at perPage each, then its outcome.
type job struct {
	id       string
	ref      string
	pages    int
	csid     string
	start    time.Time
	dial     time.Duration
	perPage  time.Duration
	outcome  outcome
	fail     failure
	failPage int // connected failures: the page during which the call ends
}

// snapshot is what a job looks like at one instant.
type snapshot struct {
	statusID    int
	description string
	recipient   int
	sent        int
	total       int
	deliveredAt string
	durationS   int
	csid        string
	errCode     int
	errString   string
}

func (j *job) at(t time.Time) snapshot {
	s := snapshot{total: j.pages}
	connected := j.start.Add(j.dial)
	switch {
	case t.Before(j.start):
		s.statusID, s.description, s.recipient = 3, "Queued for delivery", recipientQueued
		return s
	case j.outcome == outcomeHeld:
		s.statusID, s.description, s.recipient = statusHeld, "Held for review: cover page awaiting approval", recipientQueued
		return s
	case t.Before(connected):
		s.statusID, s.description, s.recipient = 3, "Dialing", recipientDialing
		return s
	case j.outcome == outcomeFailed && !j.fail.connected:
		s.statusID, s.recipient = 2, recipientFailed
		s.description = j.fail.description
		s.errCode, s.errString = j.fail.code, j.fail.text
		return s
	}
	s.csid = j.csid
	end := j.end()
	if t.Before(end) {
		page := int(t.Sub(connected)/j.perPage) + 1
		s.statusID, s.recipient = 3, recipientSending
		s.description = fmt.Sprintf("Sending page %d of %d", page, j.pages)
		s.sent = page - 1
		s.durationS = int(t.Sub(connected) / time.Second)
		return s
	}
	s.durationS = int(end.Sub(connected) / time.Second)
	if j.outcome == outcomeFailed {
		s.statusID, s.recipient = 2, recipientFailed
		s.description = fmt.Sprintf(j.fail.description, j.failPage, j.pages)
		s.errCode, s.errString = j.fail.code, j.fail.text
		s.sent = j.failPage - 1
		return s
	}
	s.statusID, s.recipient = 1, recipientDelivered
	s.description = "Job completed"
	s.sent = j.pages
	s.deliveredAt = end.UTC().Format(time.RFC3339)
	return s
}

// end is when transmission stops: after the last page, or halfway through
// the page on which a connected failure happens.
func (j *job) end() time.Time {
	connected := j.start.Add(j.dial)
	if j.outcome == outcomeFailed && j.fail.connected {
		return connected.Add(time.Duration(j.failPage-1)*j.perPage + j.perPage/2)
	}
	return connected.Add(time.Duration(j.pages) * j.perPage)
}

// mintID builds a job ID in Concord's shape: "br", a digit group for the
// account, a letter, a zero-padded sequence number, and a check letter.
func mintID(account string, letter byte, seq int) string {
	body := fmt.Sprintf("br%s%c%05d", account, letter, seq)
	return body + string(checkChar(body))
}

// checkChar is a weighted sum of the characters, mod 26, as a letter.
func checkChar(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += (i + 1) * int(s[i])
	}
	return byte('a' + sum%26)
}

// validCheck reports whether id ends in the check letter of the rest.
func validCheck(id string) bool {
	return len(id) > 3 && checkChar(id[:len(id)-1]) == id[len(id)-1]
}

// jobSpec is a scripted demo job, relative to the server's start.
type jobSpec struct {
	startIn  time.Duration // negative: started before the server did
	pages    int
	outcome  outcome
	fail     int
	failPage int
	ref      bool
}

// demoScript covers every state at start-up and keeps moving for minutes:
// earlier entries matter most, so a small --jobs still shows them all.
var demoScript = []jobSpec{
	{startIn: -10 * time.Minute, pages: 3},
	{startIn: -6 * time.Minute, pages: 2, outcome: outcomeFailed, fail: failBusy},
	{startIn: -20 * time.Second, pages: 6},
	{startIn: 25 * time.Second, pages: 4},
	{startIn: -5 * time.Second, pages: 8, ref: true},
	{startIn: -10 * time.Second, pages: 5, outcome: outcomeFailed, fail: failDropped, failPage: 3},
	{startIn: -2 * time.Minute, pages: 1, outcome: outcomeHeld},
	{startIn: -3 * time.Minute, pages: 4, outcome: outcomeFailed, fail: failNoAnswer},
	{startIn: -90 * time.Second, pages: 1, outcome: outcomeFailed, fail: failInvalidNumber},
	{startIn: -35 * time.Second, pages: 4},
	{startIn: 70 * time.Second, pages: 3, outcome: outcomeFailed, fail: failNoTone},
	{startIn: -15 * time.Minute, pages: 12, ref: true},
	{startIn: -1 * time.Second, pages: 12, outcome: outcomeFailed, fail: failRefused, failPage: 9},
	{startIn: 2 * time.Minute, pages: 2},
}

// jobMaker mints jobs from one seeded stream, so a seed gives the same jobs.
type jobMaker struct {
	rng     *rand.Rand
	account string // 7 digits, fixed per seed
	seq     int
}

func newJobMaker(seed int64) *jobMaker {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6a6f6273))
	return &jobMaker{rng: rng, account: fmt.Sprintf("00%05d", rng.IntN(100000))}
}

func (m *jobMaker) make(now time.Time, sp jobSpec) *job {
	m.seq++
	letter := byte('a' + m.rng.IntN(8))
	j := &job{
		id:       mintID(m.account, letter, m.seq),
		pages:    sp.pages,
		csid:     fmt.Sprintf("+1 555 01%02d %s", m.rng.IntN(100), csidNames[m.rng.IntN(len(csidNames))]),
		start:    now.Add(sp.startIn),
		dial:     time.Duration(3+m.rng.IntN(6)) * time.Second,
		perPage:  time.Duration(5+m.rng.IntN(8)) * time.Second,
		outcome:  sp.outcome,
		failPage: sp.failPage,
	}
	if sp.outcome == outcomeFailed {
		j.fail = failures[sp.fail]
		if j.fail.connected && (j.failPage < 1 || j.failPage > j.pages) {
			j.failPage = 1 + m.rng.IntN(j.pages)
		}
	}
	if sp.ref {
		j.ref = fmt.Sprintf("INV-%d-%04d", 2026, m.rng.IntN(10000))
	}
	return j
}

// random invents a job: mostly successes, a realistic share of failures.
func (m *jobMaker) random(now time.Time, earliest, latest time.Duration) *job {
	sp := jobSpec{
		startIn: earliest + time.Duration(m.rng.Int64N(int64(latest-earliest)+1)),
		pages:   1 + m.rng.IntN(12),
		ref:     m.rng.IntN(4) == 0,
	}
	if m.rng.IntN(100) < 28 {
		sp.outcome, sp.fail = outcomeFailed, m.rng.IntN(len(failures))
	}
	return m.make(now, sp)
}

// unknownID is well-formed and check-valid but never minted: its account
// group starts with 99, which jobMaker never uses.
func (m *jobMaker) unknownID() string {
	return mintID("99"+m.account[2:], 'z', 1)
}

var csidNames = []string{"ACME CLAIMS", "NORTHWIND", "CONTOSO LEGAL", "FABRIKAM", "MERCY CLINIC", "TAILSPIN", "LITWARE HR", "ADVENTURE WORKS"}

// normaliseJobID maps a requested JobId to a br key (lower-cased) or, after
// a "JRI-" prefix in any case, a ReferenceId kept as typed, as the service
// matches them.
func normaliseJobID(s string) (key string, isRef bool) {
	s = strings.TrimSpace(s)
	if len(s) > 4 && strings.EqualFold(s[:4], "JRI-") {
		return s[4:], true
	}
	return strings.ToLower(s), false
}
