//go:build !unix

package alert

import "os/exec"

// ownProcessGroup: elsewhere the context's cancel kills the program itself.
func ownProcessGroup(*exec.Cmd) {}
