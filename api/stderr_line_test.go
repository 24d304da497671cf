package api

import (
	"strings"
	"testing"
)

func TestScrubStderrLine(t *testing.T) {
	known := []string{"", "hunter2-literal", "printed-secret\n"}
	tests := []struct {
		name, stderr string
		want         string
		withheld     bool
	}{
		{"plain", "gpg: decryption failed: No secret key\n", "gpg: decryption failed: No secret key", false},
		{"first non-blank line only", "\n  \nitem not found\nmore detail\n", "item not found", false},
		{"label and value", "token: s3cr3t\n", "", true},
		{"key=value", "vault sealed: token=leaky", "", true},
		{"password label", "Password: hunter3", "", true},
		{"bearer", "sent Bearer abc", "", true},
		{"configured secret", "wrong value hunter2-literal given", "", true},
		{"the command's own output", "could not store printed-secret", "", true},
		{"jwt-like word", "bad eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.x", "", true},
		{"hex key", "key 9f86d081884c7d659a2feaa0c55ad015 rejected", "", true},
		{"long is cut", strings.Repeat("no ", 60), strings.TrimSpace(strings.Repeat("no ", 60))[:80] + "…", false},
		{"escape sanitised", "bad \x1b[2J screen", "bad \\x1b[2J screen", false},
		{"blank", "\n\n", "", false},

		// A label is a whole word (or the end of a compound such as
		// client_secret) before ":", "=" or " is ".
		{"password is", "password is hunter2", "", true},
		{"pass colon", "pass: hunter2", "", true},
		{"passwd equals", "Passwd=hunter2", "", true},
		{"pin", "PIN: 1234", "", true},
		{"secret is, mid-line", "lookup failed, the secret is hunter2", "", true},
		{"compound client_secret", "client_secret: hunter2", "", true},
		{"header X-Auth-Token", "X-Auth-Token: hunter2", "", true},
		{"api key with spaces", "api key = hunter2", "", true},
		{"credentials plural", "credentials: alice/hunter2", "", true},
		{"auth", "auth: hunter2", "", true},
		{"bearer label", "bearer: hunter2", "", true},

		// Label letters inside another word are not a label.
		{"mapping", "mapping: column 3 not found", "mapping: column 3 not found", false},
		{"spinning", "spinning: waiting for the agent", "spinning: waiting for the agent", false},
		{"passage", "passage: entry not found", "passage: entry not found", false},
		{"keyring", "keyring: locked", "keyring: locked", false},
		{"tokenizer", "tokenizer: unexpected end of input", "tokenizer: unexpected end of input", false},
		{"is inside a word", "token isn't valid", "token isn't valid", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, withheld := ScrubStderrLine(tt.stderr, known)
			if got != tt.want || withheld != tt.withheld {
				t.Errorf("got %q (withheld %v), want %q (withheld %v)", got, withheld, tt.want, tt.withheld)
			}
		})
	}
}
