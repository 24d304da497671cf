package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// Interrupting a command while it waits on standard input ends it at once
// with 130, whatever is (or is not) typed later. Standard input here is a
// pipe nobody writes to; the pty test in the root package covers a terminal.
func TestInterruptWhileReadingStdin(t *testing.T) {
	for _, args := range [][]string{
		{"status"},
		{"status", "br0012345h00001x", "-"},
		{"watch", "add", "-"},
		{"watch", "add", "--note", "x", "-"},
		{"watch", "rm", "-"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			w := newWorld(t)
			stdin, typing, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			defer typing.Close()
			ctx, interrupt := context.WithCancel(context.Background())
			var out, errb bytes.Buffer
			done := make(chan int, 1)
			go func() { done <- Run(ctx, args, Stdio{In: stdin, Out: &out, Err: &errb}, envOf(w.env)) }()
			interrupt()
			select {
			case code := <-done:
				if code != ExitInterrupted || out.Len() != 0 || !strings.Contains(errb.String(), "faxwatch: interrupted") {
					t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
				}
			case <-time.After(10 * time.Second): // a deadline for a hang, not a wait for success
				t.Fatal("still reading standard input after the interrupt")
			}
			// What is typed after the interrupt is nobody's input: nothing was saved.
			if _, err := typing.WriteString("br0012345h00002y\n"); err != nil {
				t.Fatal(err)
			}
			if doc := w.watchLS(); len(doc.Jobs) != 0 {
				t.Errorf("watchlist after the interrupt: %v", doc.Jobs)
			}
		})
	}
}
