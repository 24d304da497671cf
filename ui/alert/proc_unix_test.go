//go:build linux

package alert

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A timeout stops the program's children too, not only the program.
func TestCommandTimeoutStopsChildren(t *testing.T) {
	c := shCommand(t, `sleep 30 & echo $! > "$1"; wait`, os.Environ()).WithTimeout(300 * time.Millisecond)
	if err := c.Run(context.Background(), failedAlert(1)); err == nil {
		t.Fatal("a hung command reported no error")
	}
	data, err := os.ReadFile(c.argv[len(c.argv)-1])
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	// SIGKILL is delivered at once; give the kernel a moment to tear down.
	for deadline := time.Now().Add(2 * time.Second); ; {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return // gone, or a zombie waiting for init
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command's child %d still runs after the timeout", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
