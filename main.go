// Command faxwatch watches Concord fax jobs: a terminal dashboard, one-shot
// status look-ups for scripts, watchlist editing and a protocol simulator.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "faxwatch: under construction")
	os.Exit(2)
}
