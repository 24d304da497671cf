// Package config reads faxwatch's TOML config file, the environment
// overrides (FAXWATCH_ENDPOINT, ...) and the secrets (inline, *_env, *_cmd),
// and refuses a secret-holding file others can read. Every mistake is one
// line that names the file and line, the variable or the flag to fix.
//
// It owns the file, not the rules: the endpoint default, the URL and
// loopback check and the numeric ranges are api's, and the refresh
// interval's floor is ui's (the command line checks that one). config
// imports api only; it must not import ui, ui/cli or watchlist.
package config
