//go:build unix

package config

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// secretFileProblem says why a secret-holding file is refused and the command
// that fixes it, as ssh does for private keys; "" when the file is fine.
func secretFileProblem(info fs.FileInfo, path string) (problem, fix string) {
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Sprintf("belongs to another user (uid %d)", st.Uid), "chown $(id -u) " + shellQuote(path) + " && chmod 600 " + shellQuote(path)
	}
	if perm := info.Mode().Perm(); perm&0o044 != 0 {
		return fmt.Sprintf("is readable by others (mode %04o)", perm), "chmod 600 " + shellQuote(path)
	} else if perm&0o033 != 0 {
		return fmt.Sprintf("is writable or executable by others (mode %04o)", perm), "chmod 600 " + shellQuote(path)
	}
	return "", ""
}
