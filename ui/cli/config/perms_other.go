//go:build !unix

package config

import "io/fs"

// secretFileProblem has no portable meaning outside unix (Windows uses ACLs).
func secretFileProblem(fs.FileInfo, string) (problem, fix string) { return "", "" }
