package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"faxwatch/api/sim"
)

// A refused call (return=false) is still an answer: scripts get the JSON
// object with ws_error filled, and exit 1.
func TestStatusRefusedCallPrintsWSError(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7, Faults: sim.Faults{ReturnFalse: true}})
	w := newWorld(t)
	o := w.run("", "status", "--format", "json", "--config", w.configFor(srv, running, ""), ids(srv, 2)[0], ids(srv, 2)[1])
	if o.code != ExitFailed {
		t.Fatalf("exit %d, want 1 (stderr %q)", o.code, o.stderr)
	}
	var out struct {
		Jobs    []json.RawMessage `json:"jobs"`
		WSError struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"ws_error"`
	}
	if err := json.Unmarshal([]byte(o.stdout), &out); err != nil {
		t.Fatalf("stdout is not the JSON object: %v\n%q", err, o.stdout)
	}
	if out.WSError.Code == 0 || out.WSError.Message == "" {
		t.Errorf("ws_error not filled: %+v", out.WSError)
	}
	if len(out.Jobs) != 2 {
		t.Errorf("%d jobs in the output, want 2", len(out.Jobs))
	}
	if !strings.Contains(o.stderr, "return=false") || strings.Contains(o.stderr, "check api.user_id") {
		t.Errorf("stderr %q: want the refusal, without a user-ID hint in oauth2 mode", o.stderr)
	}
}

// A job the answer left out says so, in JSON and CSV.
func TestStatusOmittedJobSaysNoAnswer(t *testing.T) {
	srv, running := simFor(t, sim.Options{Seed: 7, Faults: sim.Faults{OmitItems: true}})
	w := newWorld(t)
	cfg := w.configFor(srv, running, "")
	o := w.run("", "status", "--format", "csv", "--config", cfg, ids(srv, 2)[0], ids(srv, 2)[1])
	rows, err := csv.NewReader(strings.NewReader(o.stdout)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv %q: %v", o.stdout, err)
	}
	found := false
	for _, r := range rows[1:] {
		if r[2] == "no_answer" {
			found = true
			if r[5] != "no answer for this job" {
				t.Errorf("no_answer row without its reason: %q", r)
			}
		}
	}
	if !found {
		t.Errorf("no job was left out: %q", rows)
	}
}

func TestWatchListCSV(t *testing.T) {
	w := newWorld(t)
	if o := w.run("", "watch", "add", "--note", "ticket 4411", "br0012345h00001x"); o.code != ExitOK {
		t.Fatalf("add: %+v", o)
	}
	o := w.run("", "watch", "ls", "--format", "csv")
	if o.code != ExitOK {
		t.Fatalf("ls: %+v", o)
	}
	rows, err := csv.NewReader(strings.NewReader(o.stdout)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv %q: %v", o.stdout, err)
	}
	want := "job_id,status_id,state,description,error_code,error_message,note,added_at,checked_at,changed_at"
	if got := strings.Join(rows[0], ","); got != want {
		t.Errorf("header %q, want %q", got, want)
	}
	if r := rows[1]; r[0] != "br0012345h00001x" || r[2] != "pending" || r[6] != "ticket 4411" || r[7] == "" || r[8] != "" {
		t.Errorf("row %q", r)
	}
}

func TestSimBadAddressIsUsage(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "nope"} {
		o := newWorld(t).run("", "sim", "--listen", addr)
		if o.code != ExitUsage || strings.Count(o.stderr, addr) != 1 {
			t.Errorf("sim --listen %s: exit %d, stderr %q; want 2 naming the address once", addr, o.code, o.stderr)
		}
	}
}

// A batch's reason follows "N job(s)" once: "got no answer within --timeout
// 2s", not "got no answer: no answer within --timeout 2s".
func TestGotNoAnswerSaysItOnce(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&endedError{timeout: 2 * time.Second, err: context.DeadlineExceeded}, "got no answer within --timeout 2s"},
		{errors.New("network: no answer within 30s"), "got no answer: network: no answer within 30s"},
		{errors.New("HTTP 400 Bad Request\n<html>"), "got no answer: HTTP 400 Bad Request"},
		{&endedError{interrupted: true, err: context.Canceled}, "got no answer: interrupted"},
	} {
		if got := gotNoAnswer(tc.err); got != tc.want {
			t.Errorf("gotNoAnswer(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
