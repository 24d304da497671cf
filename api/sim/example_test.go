package sim_test

import (
	"context"
	"fmt"
	"time"

	"faxwatch/api"
	"faxwatch/api/sim"
)

// A simulator on a free loopback port, an api client in PIN mode, and a job
// whose timeline moves only when the test's clock does.
func Example() {
	clock := sim.NewManualClock(time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC))
	s := sim.New(sim.Options{Seed: 1, Jobs: 14, Clock: clock})
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer run.Close()
	creds := s.Credentials()
	client, err := api.New(api.Options{
		Endpoint: run.Endpoint(),
		UserID:   creds.UserID,
		Auth:     api.Auth{Mode: api.AuthPIN, PIN: api.NewSecret(creds.PIN)},
	})
	if err != nil {
		panic(err)
	}
	job := s.JobIDs()[3] // queued at start
	for range 2 {
		res, err := client.GetFaxStatus(context.Background(), []api.JobID{job})
		if err != nil {
			panic(err)
		}
		fmt.Println(res.Jobs[0].State, res.Jobs[0].Description)
		clock.Advance(10 * time.Minute)
	}
	// Output:
	// processing Queued for delivery
	// succeeded Job completed
}
