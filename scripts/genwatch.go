//go:build ignore

// genwatch writes a watchlist file of N final jobs (a quiet dashboard: none
// is due for polling) for scripts/bench.sh: go run scripts/genwatch.go -n 10000 -o FILE
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"faxwatch/api"
	"faxwatch/watchlist"
)

func main() {
	n := flag.Int("n", 10000, "jobs")
	out := flag.String("o", "", "watchlist file to write (replaced)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "genwatch: -o FILE is required")
		os.Exit(2)
	}
	_ = os.Remove(*out)
	store, _, err := watchlist.Open(watchlist.Options{Path: *out})
	if err != nil {
		fmt.Fprintln(os.Stderr, "genwatch:", err)
		os.Exit(1)
	}
	ids := make([]api.JobID, *n)
	res := &api.Result{Return: true, Jobs: make([]api.JobStatus, *n)}
	for i := range ids {
		ids[i] = api.JobID(fmt.Sprintf("br%07dh%05dx", i, i%99999))
		js := api.JobStatus{JobID: ids[i], FaxJobID: string(ids[i]), StatusID: api.StatusSucceeded, Description: "Job completed"}
		if i%4 == 1 {
			js.StatusID, js.Description = api.StatusFailed, "Fax failed: remote busy"
			js.Error = api.WSError{Code: 2008, Message: "Line busy (3 attempts)"}
		}
		js.State = api.StateOf(js.StatusID, js.Error.Code)
		res.Jobs[i] = js
	}
	if _, _, err := store.Add(ids...); err != nil {
		fmt.Fprintln(os.Stderr, "genwatch:", err)
		os.Exit(1)
	}
	if _, err := store.Apply(res, time.Now().Add(-2*time.Hour)); err != nil {
		fmt.Fprintln(os.Stderr, "genwatch:", err)
		os.Exit(1)
	}
	if err := store.Save(); err != nil {
		fmt.Fprintln(os.Stderr, "genwatch:", err)
		os.Exit(1)
	}
}
