package sim

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"faxwatch/api"
)

var idShape = regexp.MustCompile(`^br[0-9]+[a-z][0-9]+[a-z]$`)

func TestMintedIDsHaveConcordShape(t *testing.T) {
	s, _ := newSim(t, Options{Seed: 7, Jobs: 200})
	seen := map[api.JobID]bool{}
	all := append(s.JobIDs(), s.AddJobs(5)...)
	all = append(all, api.JobID(s.unknown))
	for _, id := range all {
		if !idShape.MatchString(string(id)) || !validCheck(string(id)) {
			t.Errorf("%q is not br+digits+letter group+check character", id)
		}
		if parsed, ok := api.ParseJobID(string(id)); !ok || parsed != id {
			t.Errorf("api.ParseJobID(%q) = %q, %v", id, parsed, ok)
		}
		if seen[id] {
			t.Errorf("%q minted twice", id)
		}
		seen[id] = true
	}
	if len(seen) != 206 {
		t.Errorf("got %d distinct IDs, want 206", len(seen))
	}
}

func TestSameSeedSameJobsAndAnswers(t *testing.T) {
	a, _ := newSim(t, Options{Seed: 42})
	b, _ := newSim(t, Options{Seed: 42})
	c, _ := newSim(t, Options{Seed: 43})
	if fmt.Sprint(a.JobIDs()) != fmt.Sprint(b.JobIDs()) || a.Credentials() != b.Credentials() {
		t.Fatal("same seed gave different jobs or credentials")
	}
	if fmt.Sprint(a.JobIDs()) == fmt.Sprint(c.JobIDs()) || a.Credentials() == c.Credentials() {
		t.Fatal("different seeds gave the same jobs or credentials")
	}
	ids := idStrings(a.DemoWatchlist())
	if fmt.Sprint(items(t, a, ids)) != fmt.Sprint(items(t, b, ids)) {
		t.Fatal("same seed, same clock, different answers")
	}
	if fmt.Sprint(a.AddJobs(3)) != fmt.Sprint(b.AddJobs(3)) {
		t.Fatal("AddJobs differs for the same seed")
	}
}

func TestDemoCoversEveryStateAtStart(t *testing.T) {
	for _, n := range []int{len(demoScript), 40, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			s, _ := newSim(t, Options{Seed: 1, Jobs: n})
			watch := s.DemoWatchlist()
			if want := len(s.JobIDs()) + 2; len(watch) != want {
				t.Fatalf("DemoWatchlist has %d IDs, want %d", len(watch), want)
			}
			for _, id := range watch {
				if parsed, ok := api.ParseJobID(string(id)); !ok || parsed != id {
					t.Errorf("watchlist ID %q does not parse as itself (%q, %v)", id, parsed, ok)
				}
			}
			got := items(t, s, idStrings(watch))
			states := map[api.State]int{}
			failCodes := map[int]bool{}
			queued, sending, held := 0, 0, 0
			for i, it := range got {
				states[api.StateOf(it.StatusID, it.Error.Code)]++
				switch {
				case it.StatusID == api.StatusFailed:
					failCodes[it.Error.Code] = true
					if it.Error.Message == "" || it.Error.Code == 0 {
						t.Errorf("failed job %s has no error: %+v", it.FaxJobID, it.Error)
					}
				case it.Description == "Queued for delivery":
					queued++
				case strings.HasPrefix(it.Description, "Sending page "):
					sending++
				case it.StatusID == statusHeld:
					held++
				}
				if watch[i].IsReference() && (it.FaxJobID == string(watch[i]) || it.ReferenceID != string(watch[i])[4:]) {
					t.Errorf("JRI look-up %s answered %s with reference %q", watch[i], it.FaxJobID, it.ReferenceID)
				}
			}
			for _, st := range []api.State{api.StateSucceeded, api.StateFailed, api.StateProcessing, api.StateInvalid, api.StateUnknown} {
				if states[st] == 0 {
					t.Errorf("no job in state %s at start: %v", st, states)
				}
			}
			if len(failCodes) < 2 || queued < 2 || sending < 3 || held != 1 {
				t.Errorf("want ≥2 failure codes, ≥2 queued, ≥3 sending, 1 held; got %d, %d, %d, %d", len(failCodes), queued, sending, held)
			}
		})
	}
}

func TestTimelinesAdvanceWithTheClock(t *testing.T) {
	s, clk := newSim(t, Options{Seed: 3, Jobs: 40})
	ids := idStrings(s.JobIDs())
	prev := items(t, s, ids)
	moved := map[int]bool{}
	for step := 0; step < 16*60/15; step++ {
		clk.Advance(15 * time.Second)
		cur := items(t, s, ids)
		for i := range cur {
			p, c := prev[i], cur[i]
			if api.StateOf(p.StatusID, 0).Final() && (c.StatusID != p.StatusID || c.Description != p.Description) {
				t.Fatalf("%s left final state %d for %d", c.FaxJobID, p.StatusID, c.StatusID)
			}
			if c.PagesSent < p.PagesSent || c.PagesTotal != p.PagesTotal {
				t.Fatalf("%s pages went %d/%d -> %d/%d", c.FaxJobID, p.PagesSent, p.PagesTotal, c.PagesSent, c.PagesTotal)
			}
			if c.PagesSent != p.PagesSent || c.StatusID != p.StatusID {
				moved[i] = true
			}
		}
		prev = cur
	}
	for _, it := range prev {
		if it.StatusID == api.StatusProcessing {
			t.Errorf("%s still processing after 16 minutes: %q", it.FaxJobID, it.Description)
		}
		if it.StatusID == api.StatusSucceeded && (it.PagesSent != it.PagesTotal || it.DeliveredAt == "" || it.RemoteCSID == "") {
			t.Errorf("succeeded job %s lacks delivery details: %+v", it.FaxJobID, it)
		}
	}
	if len(moved) < 10 {
		t.Errorf("only %d jobs changed in 16 minutes", len(moved))
	}
}

func TestAddedJobsGoLive(t *testing.T) {
	s, clk := newSim(t, Options{Seed: 5, Jobs: -1})
	if len(s.JobIDs()) != 0 {
		t.Fatalf("Jobs:-1 created %d jobs", len(s.JobIDs()))
	}
	ids := idStrings(s.AddJobs(6))
	for _, it := range items(t, s, ids) {
		if it.StatusID != api.StatusProcessing {
			t.Errorf("new job %s is %d %q, want queued or dialing", it.FaxJobID, it.StatusID, it.Description)
		}
	}
	clk.Advance(10 * time.Minute)
	for _, it := range items(t, s, ids) {
		if !api.StateOf(it.StatusID, it.Error.Code).Final() {
			t.Errorf("added job %s not final after 10 minutes: %d %q", it.FaxJobID, it.StatusID, it.Description)
		}
	}
}

func TestJobTimelinePhases(t *testing.T) {
	start := t0
	j := &job{id: "br0000001a00001x", pages: 3, csid: "+1 555 0100 X", start: start, dial: 4 * time.Second, perPage: 10 * time.Second}
	dropped := *j
	dropped.outcome, dropped.fail, dropped.failPage = outcomeFailed, failures[failDropped], 2
	busy := *j
	busy.outcome, busy.fail = outcomeFailed, failures[failBusy]
	tests := []struct {
		name     string
		j        *job
		at       time.Duration
		status   int
		desc     string
		sent     int
		errCode  int
		duration int
	}{
		{"queued", j, -time.Second, 3, "Queued for delivery", 0, 0, 0},
		{"dialing", j, 2 * time.Second, 3, "Dialing", 0, 0, 0},
		{"page 1", j, 5 * time.Second, 3, "Sending page 1 of 3", 0, 0, 1},
		{"page 3", j, 25 * time.Second, 3, "Sending page 3 of 3", 2, 0, 21},
		{"done", j, 34 * time.Second, 1, "Job completed", 3, 0, 30},
		{"dropped mid page 2", &dropped, 19 * time.Second, 2, "Failed: call dropped on page 2 of 3", 1, 4004, 15},
		{"still sending before drop", &dropped, 18 * time.Second, 3, "Sending page 2 of 3", 1, 0, 14},
		{"busy after dialing", &busy, 4 * time.Second, 2, "Failed: line busy", 0, 4001, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.j.at(start.Add(tc.at))
			if s.statusID != tc.status || s.description != tc.desc || s.sent != tc.sent || s.errCode != tc.errCode || s.durationS != tc.duration {
				t.Errorf("got %d %q sent=%d err=%d dur=%d", s.statusID, s.description, s.sent, s.errCode, s.durationS)
			}
		})
	}
}

func TestUnknownAndMalformedIDsAnswerInvalid(t *testing.T) {
	s, _ := newSim(t, Options{Seed: 1})
	ref := s.Reference(s.JobIDs()[4])
	if ref == "" {
		t.Fatal("scripted job 4 has no ReferenceId")
	}
	asked := []string{s.unknown, "JRI-NOPE", "not-an-id", "", "JRI-" + ref, strings.ToUpper(string(s.JobIDs()[0]))}
	got := items(t, s, asked)
	for i := 0; i < 3; i++ {
		if got[i].StatusID != -5019 || got[i].Error.Code != -5019 || got[i].FaxJobID != asked[i] {
			t.Errorf("%q: got %+v, want -5019 echoing the asked ID", asked[i], got[i])
		}
	}
	// Echoing an empty ID gives an item without FaxJobId, which a client
	// cannot use.
	if got[3].Problem != "the item has no FaxJobId" {
		t.Errorf(`"": got %+v, want an unusable item`, got[3])
	}
	if got[4].FaxJobID != string(s.JobIDs()[4]) {
		t.Errorf("JRI-%s answered %q, want %s", ref, got[4].FaxJobID, s.JobIDs()[4])
	}
	if got[5].FaxJobID != string(s.JobIDs()[0]) || got[5].StatusID != 1 {
		t.Errorf("upper-case ID answered %+v", got[5])
	}
}

func TestManualClock(t *testing.T) {
	c := NewManualClock(t0)
	c.Advance(90 * time.Second)
	if !c.Now().Equal(t0.Add(90 * time.Second)) {
		t.Fatalf("Advance: %v", c.Now())
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Fatalf("Set: %v", c.Now())
	}
}
