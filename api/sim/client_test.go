package sim

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"faxwatch/api"
)

// rig is a simulator on a loopback port with an api.Client pointed at it.
type rig struct {
	sim    *Server
	clock  *ManualClock
	run    *Running
	client *api.Client
	waits  *[]time.Duration
}

var allFormats = []api.Format{api.FormatSOAP11, api.FormatSOAP12, api.FormatJSON}

func newRig(t *testing.T, simOpts Options, f api.Format, mode api.AuthMode, tweak func(*api.Options)) *rig {
	t.Helper()
	s, clk := newSim(t, simOpts)
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	c := s.Credentials()
	var mu sync.Mutex
	waits := &[]time.Duration{}
	opts := api.Options{
		Endpoint: run.Endpoint(),
		UserID:   c.UserID,
		Format:   f,
		Timeout:  5 * time.Second,
		Auth:     api.Auth{Mode: mode},
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			*waits = append(*waits, d)
			mu.Unlock()
			return ctx.Err()
		},
	}
	switch mode {
	case api.AuthOAuth2:
		opts.Auth.TokenURL = run.TokenURL()
		opts.Auth.ClientID = c.ClientID
		opts.Auth.ClientSecret = api.NewSecret(c.ClientSecret)
	case api.AuthPIN:
		opts.Auth.PIN = api.NewSecret(c.PIN)
	}
	if tweak != nil {
		tweak(&opts)
	}
	client, err := api.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{sim: s, clock: clk, run: run, client: client, waits: waits}
}

func TestClientAgainstSimulator(t *testing.T) {
	methods := []func(*api.Client, context.Context, []api.JobID) (*api.Result, error){
		(*api.Client).GetFaxStatus, (*api.Client).GetRealTimeFaxStatus, (*api.Client).GetRealTimeFaxStatusEx, (*api.Client).GetRealTimeFaxStatusEx2,
	}
	for _, f := range allFormats {
		for _, mode := range []api.AuthMode{api.AuthOAuth2, api.AuthPIN} {
			t.Run(string(f)+"/"+string(mode), func(t *testing.T) {
				r := newRig(t, Options{Seed: 4}, f, mode, func(o *api.Options) { o.BatchSize = 7 })
				ctx := context.Background()
				watch := r.sim.DemoWatchlist()
				for mi, m := range methods {
					res, err := m(r.client, ctx, watch)
					if err != nil || !res.Return || len(res.Failures) != 0 {
						t.Fatalf("method %d: %v (return=%v, failures %v)", mi, err, res.Return, res.Failures)
					}
					want := items(t, r.sim, idStrings(watch))
					for i, js := range res.Jobs {
						if js.JobID != watch[i] || js.FaxJobID != want[i].FaxJobID || js.StatusID != want[i].StatusID || js.Description != want[i].Description {
							t.Fatalf("job %d: client %+v, simulator %+v", i, js, want[i])
						}
						if (mi == 0) != (js.Details == nil) {
							t.Fatalf("method %d: details %v", mi, js.Details)
						}
						if mi == 3 && js.Details.ReferenceID != want[i].ReferenceID {
							t.Fatalf("reference %q, want %q", js.Details.ReferenceID, want[i].ReferenceID)
						}
						if js.Call.Call.ActivityID == "" || js.Call.Call.ExecutionMS < 0 {
							t.Fatalf("call headers not kept: %+v", js.Call.Call)
						}
					}
				}
				js, err := r.client.SimpleGetFaxStatus(ctx, watch[1])
				if err != nil || js.StatusID != api.StatusFailed {
					t.Errorf("SimpleGetFaxStatus: %+v %v", js, err)
				}
				if s, err := r.client.CheckService(ctx); err != nil || s == "" {
					t.Errorf("CheckService: %q %v", s, err)
				}
				if mode == api.AuthOAuth2 && r.sim.TokenCalls() != 1 {
					t.Errorf("%d token fetches, want 1 (cached)", r.sim.TokenCalls())
				}
			})
		}
	}
}

func TestClientSeesJobsProgress(t *testing.T) {
	r := newRig(t, Options{Seed: 4}, api.FormatSOAP11, api.AuthPIN, nil)
	ids := r.sim.JobIDs()
	before, err := r.client.GetRealTimeFaxStatus(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	r.clock.Advance(20 * time.Minute)
	after, err := r.client.GetRealTimeFaxStatus(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i := range ids {
		if before.Jobs[i].StatusID != after.Jobs[i].StatusID {
			changed++
		}
		if after.Jobs[i].State == api.StateProcessing {
			t.Errorf("%s still processing", ids[i])
		}
	}
	if changed < 5 {
		t.Errorf("only %d jobs changed state", changed)
	}
}

func TestClientWrongCredentials(t *testing.T) {
	t.Run("pin", func(t *testing.T) {
		r := newRig(t, Options{}, api.FormatSOAP12, api.AuthPIN, func(o *api.Options) { o.Auth.PIN = api.NewSecret("0000") })
		res, err := r.client.GetFaxStatus(context.Background(), r.sim.JobIDs()[:3])
		var ce *api.CallError
		if !errors.As(err, &ce) || ce.WSError != errAuthFailed || res.Return || res.WSError != errAuthFailed {
			t.Fatalf("err %v, result %+v", err, res)
		}
	})
	t.Run("client secret", func(t *testing.T) {
		r := newRig(t, Options{}, api.FormatJSON, api.AuthOAuth2, func(o *api.Options) { o.Auth.ClientSecret = api.NewSecret("nope") })
		_, err := r.client.GetFaxStatus(context.Background(), r.sim.JobIDs()[:3])
		var ae *api.AuthError
		if !errors.As(err, &ae) || r.sim.Calls() != 0 {
			t.Fatalf("err %v, %d API calls", err, r.sim.Calls())
		}
	})
	t.Run("unknown bearer token", func(t *testing.T) {
		r := newRig(t, Options{}, api.FormatSOAP11, api.AuthToken, func(o *api.Options) { o.Auth.Token = api.NewSecret("sim_forged") })
		_, err := r.client.GetFaxStatus(context.Background(), r.sim.JobIDs()[:3])
		var ae *api.AuthError
		if !errors.As(err, &ae) || ae.HTTPStatus != 401 || r.sim.Calls() != 1 {
			t.Fatalf("err %v, %d calls", err, r.sim.Calls())
		}
	})
}

func TestClientRefetchesAnExpiredToken(t *testing.T) {
	r := newRig(t, Options{TokenLifetime: 10 * time.Minute}, api.FormatSOAP11, api.AuthOAuth2, nil)
	ids := r.sim.JobIDs()[:2]
	if _, err := r.client.GetFaxStatus(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	// The simulator's clock passes the expiry; the client's does not know.
	r.clock.Advance(11 * time.Minute)
	if _, err := r.client.GetFaxStatus(context.Background(), ids); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if r.sim.TokenCalls() != 2 || r.sim.Calls() != 3 {
		t.Errorf("%d token fetches and %d calls, want 2 and 3 (one 401, one replay)", r.sim.TokenCalls(), r.sim.Calls())
	}
}

// failureOf returns the error a whole-failed request reports.
func failureOf(t *testing.T, res *api.Result, err error) error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; result %+v", res)
	}
	if res != nil {
		for _, js := range res.Jobs {
			if js.Err == nil {
				t.Errorf("%s has no Err although the batch failed", js.JobID)
			}
		}
	}
	return err
}

func TestClientUnderEachFault(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
		mode   api.AuthMode
		tweak  func(*api.Options)
		check  func(t *testing.T, r *rig, res *api.Result, err error)
	}{
		{name: "error rate: retried, then HTTPError", faults: Faults{ErrorRate: 1}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var he *api.HTTPError
			if !errors.As(failureOf(t, res, err), &he) || (he.Status != 500 && he.Status != 503) {
				t.Errorf("err %v", err)
			}
			if r.sim.Calls() != 3 || len(res.Calls) != 3 || len(*r.waits) != 2 {
				t.Errorf("%d calls, %d recorded, %d waits; want 3, 3, 2", r.sim.Calls(), len(res.Calls), len(*r.waits))
			}
		}},
		{name: "rate limit: Retry-After honoured", faults: Faults{RateLimitRate: 1, RetryAfter: 2 * time.Second}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var he *api.HTTPError
			if !errors.As(failureOf(t, res, err), &he) || he.Status != 429 {
				t.Errorf("err %v", err)
			}
			if fmt.Sprint(*r.waits) != "[2s 2s]" {
				t.Errorf("waits %v, want [2s 2s]", *r.waits)
			}
		}},
		{name: "rate limit: too long a wait gives up", faults: Faults{RateLimitRate: 1, RetryAfter: time.Hour}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var rl *api.RateLimitError
			if !errors.As(failureOf(t, res, err), &rl) || r.sim.Calls() != 1 || len(*r.waits) != 0 {
				t.Errorf("err %v after %d calls, waits %v", err, r.sim.Calls(), *r.waits)
			}
		}},
		{name: "hang: per-request timeout", faults: Faults{Hang: true}, tweak: func(o *api.Options) { o.Timeout = 100 * time.Millisecond; o.MaxAttempts = 2 }, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var te *api.TransportError
			// An attempt that times out is a network error, so it is
			// retried like one: both attempts are made.
			if !errors.As(failureOf(t, res, err), &te) || !te.Timeout || r.sim.Calls() != 2 {
				t.Errorf("err %v after %d calls", err, r.sim.Calls())
			}
		}},
		{name: "truncate: cut off, retried", faults: Faults{Truncate: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var te *api.TransportError
			var pe *api.ProtocolError
			if e := failureOf(t, res, err); !errors.As(e, &te) && !(errors.As(e, &pe) && pe.Kind == api.KindTruncated) {
				t.Errorf("err %T %v", err, err)
			}
			if r.sim.Calls() != 3 {
				t.Errorf("%d calls, want 3", r.sim.Calls())
			}
		}},
		{name: "malformed: protocol error, not retried", faults: Faults{Malformed: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var pe *api.ProtocolError
			if !errors.As(failureOf(t, res, err), &pe) || pe.Kind != api.KindMalformed || r.sim.Calls() != 1 {
				t.Errorf("err %v after %d calls", err, r.sim.Calls())
			}
		}},
		{name: "html: protocol error", faults: Faults{HTML: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var pe *api.ProtocolError
			if !errors.As(failureOf(t, res, err), &pe) || pe.Kind != api.KindHTML || !strings.Contains(pe.Error(), "502 Bad Gateway") {
				t.Errorf("err %v", err)
			}
		}},
		{name: "soap fault: server fault, retried", faults: Faults{SOAPFault: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var fe *api.SOAPFault
			if !errors.As(failureOf(t, res, err), &fe) || (fe.Code != "Server" && fe.Code != "Receiver") || !strings.Contains(fe.Reason, "simulated") {
				t.Errorf("err %v", err)
			}
			if r.sim.Calls() != 3 {
				t.Errorf("%d calls, want 3", r.sim.Calls())
			}
		}},
		{name: "return false: CallError with the WSError", faults: Faults{ReturnFalse: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var ce *api.CallError
			if !errors.As(failureOf(t, res, err), &ce) || ce.WSError != errService || res.Return || res.WSError != errService || r.sim.Calls() != 1 {
				t.Errorf("err %v, result return=%v %v", err, res.Return, res.WSError)
			}
		}},
		{name: "oversize: TooLargeError", faults: Faults{Oversize: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var tl *api.TooLargeError
			if !errors.As(failureOf(t, res, err), &tl) || tl.Limit != 4<<20 || r.sim.Calls() != 1 {
				t.Errorf("err %v after %d calls", err, r.sim.Calls())
			}
		}},
		{name: "omit items: no_answer", faults: Faults{OmitItems: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			if err != nil {
				t.Fatal(err)
			}
			for i, js := range res.Jobs {
				if (i%2 == 0) != (js.State == api.StateNoAnswer) {
					t.Errorf("job %d %s: state %s", i, js.JobID, js.State)
				}
			}
		}},
		{name: "reorder items: still matched", faults: Faults{ReorderItems: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			if err != nil {
				t.Fatal(err)
			}
			for _, js := range res.Jobs {
				if string(js.JobID) != js.FaxJobID {
					t.Errorf("asked %s, matched %s", js.JobID, js.FaxJobID)
				}
			}
		}},
		{name: "hostile: sanitised", faults: Faults{Hostile: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			if err != nil {
				t.Fatal(err)
			}
			for _, js := range res.Jobs {
				for _, s := range []string{js.Description, js.Error.Message, js.Call.Call.ActivityID} {
					if strings.ContainsAny(s, "\x1b\x07\r\u009b\u202e\u200b") || strings.ContainsRune(s, 0x9b) {
						t.Errorf("%s: unsafe text %q", js.JobID, s)
					}
				}
				if js.Description == "" {
					t.Error("hostile description dropped instead of escaped")
				}
			}
		}},
		{name: "revoked tokens: one refetch and replay, then AuthError", faults: Faults{RevokeTokens: true}, mode: api.AuthOAuth2, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var ae *api.AuthError
			if !errors.As(failureOf(t, res, err), &ae) || ae.HTTPStatus != 401 {
				t.Errorf("err %v", err)
			}
			if r.sim.TokenCalls() != 2 || r.sim.Calls() != 2 {
				t.Errorf("%d token fetches, %d calls; want 2 and 2", r.sim.TokenCalls(), r.sim.Calls())
			}
		}},
		{name: "redirect: refused, not followed", faults: Faults{Redirect: true}, mode: api.AuthOAuth2, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var he *api.HTTPError
			if !errors.As(failureOf(t, res, err), &he) || he.Status != 307 || r.sim.Calls() != 1 {
				t.Errorf("err %v after %d calls", err, r.sim.Calls())
			}
		}},
		{name: "empty body: protocol error", faults: Faults{EmptyBody: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var pe *api.ProtocolError
			if !errors.As(failureOf(t, res, err), &pe) || pe.Kind != api.KindEmpty {
				t.Errorf("err %v", err)
			}
		}},
		{name: "wrong content type: protocol error", faults: Faults{WrongContentType: true}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			var pe *api.ProtocolError
			if !errors.As(failureOf(t, res, err), &pe) || pe.Kind != api.KindContentType {
				t.Errorf("err %v", err)
			}
		}},
		{name: "latency: execution time reported", faults: Faults{Latency: 30 * time.Millisecond, Jitter: 5 * time.Millisecond}, check: func(t *testing.T, r *rig, res *api.Result, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if c := res.Calls[0]; c.ExecutionMS < 30 || c.RoundTrip < 30*time.Millisecond {
				t.Errorf("execution %d ms, round trip %v", c.ExecutionMS, c.RoundTrip)
			}
		}},
	}
	for _, tc := range tests {
		for _, f := range allFormats {
			t.Run(tc.name+"/"+string(f), func(t *testing.T) {
				mode := tc.mode
				if mode == "" {
					mode = api.AuthPIN
				}
				r := newRig(t, Options{Seed: 8, Faults: tc.faults}, f, mode, tc.tweak)
				res, err := r.client.GetFaxStatus(context.Background(), r.sim.JobIDs()[:6])
				tc.check(t, r, res, err)
			})
		}
	}
}

func TestClientHangEndsWithTheCallersDeadline(t *testing.T) {
	r := newRig(t, Options{Faults: Faults{Hang: true}}, api.FormatSOAP11, api.AuthPIN, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.client.GetFaxStatus(ctx, r.sim.JobIDs()[:2])
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestFaultsChangeAtRunTime(t *testing.T) {
	r := newRig(t, Options{}, api.FormatJSON, api.AuthPIN, nil)
	ids := r.sim.JobIDs()[:2]
	r.sim.SetFaults(Faults{ReturnFalse: true})
	if _, err := r.client.GetFaxStatus(context.Background(), ids); err == nil {
		t.Fatal("fault not applied")
	}
	r.sim.SetFaults(Faults{})
	if _, err := r.client.GetFaxStatus(context.Background(), ids); err != nil {
		t.Fatalf("fault not cleared: %v", err)
	}
}

// Concurrent calls, job additions, fault changes and clock moves: run with
// -race.
func TestConcurrentUse(t *testing.T) {
	r := newRig(t, Options{Seed: 2}, api.FormatJSON, api.AuthOAuth2, func(o *api.Options) { o.BatchSize = 5; o.Concurrency = 4 })
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 5 {
				if _, err := r.client.GetRealTimeFaxStatusEx2(context.Background(), r.sim.DemoWatchlist()); err != nil {
					t.Errorf("worker %d: %v", i, err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 10 {
			r.sim.AddJobs(2)
			r.clock.Advance(time.Second)
			r.sim.SetFaults(Faults{Latency: time.Millisecond})
		}
	})
	wg.Wait()
	if len(r.sim.JobIDs()) != 60 {
		t.Errorf("%d jobs, want 60", len(r.sim.JobIDs()))
	}
}
