package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"faxwatch/api"
	"faxwatch/api/sim"
)

func benchResult(n int) *api.Result {
	res := &api.Result{Method: api.MethodGetFaxStatus, Return: true}
	for i := range n {
		res.Jobs = append(res.Jobs, api.JobStatus{
			JobID: api.JobID(fmt.Sprintf("br00%05dh%05dx", i, i)), FaxJobID: fmt.Sprintf("br00%05dh%05dx", i, i),
			StatusID: 2, State: api.StateFailed, Description: "Failed: line busy",
			Error: api.WSError{Code: 4001, Message: "Line busy (3 attempts)"},
		})
	}
	return res
}

func BenchmarkWriteStatus1000(b *testing.B) {
	res := benchResult(1000)
	for _, f := range []string{"json", "csv", "table"} {
		b.Run(f, func(b *testing.B) {
			for b.Loop() {
				var err error
				switch f {
				case "json":
					err = writeStatusJSON(io.Discard, res)
				case "csv":
					err = writeStatusCSV(io.Discard, res)
				default:
					err = writeStatusTable(io.Discard, nil, res)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStatusCommand1000 is `faxwatch status` end to end for 1000 IDs
// (10 calls of 100, 4 at a time) against the in-process simulator.
func BenchmarkStatusCommand1000(b *testing.B) {
	srv := sim.New(sim.Options{Seed: 1})
	running, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer running.Close()
	dir := b.TempDir()
	c := srv.Credentials()
	cfg := fmt.Sprintf("[api]\nendpoint = %q\nuser_id = %q\n[auth]\nmode = \"pin\"\npin = %q\n", running.Endpoint(), c.UserID, c.PIN)
	path := dir + "/c.toml"
	if err := writeFileErr(path, cfg); err != nil {
		b.Fatal(err)
	}
	var ids strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&ids, "br00%05dh%05dx\n", i, i)
	}
	env := envOf(map[string]string{"HOME": dir, "XDG_STATE_HOME": dir, "XDG_CONFIG_HOME": dir})
	for b.Loop() {
		var out, errb bytes.Buffer
		if code := Run(context.Background(), []string{"status", "--config", path, "--format", "json"}, Stdio{In: strings.NewReader(ids.String()), Out: &out, Err: &errb}, env); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

func writeFileErr(path, content string) error { return os.WriteFile(path, []byte(content), 0o600) }
