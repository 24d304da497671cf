package config

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzConfigDecode: any file content gives a config or one Error line
// naming the file; never a panic.
func FuzzConfigDecode(f *testing.F) {
	f.Add([]byte("[api]\nendpoint = \"https://x.example/fax/v5\"\n"))
	f.Add([]byte("[watch]\ninterval = \"1s\"\n"))
	f.Add([]byte("api.endpont = 1\n[apii]\nx=1"))
	f.Add([]byte("[auth]\nscopes = [\"a\", 1]\n"))
	f.Add([]byte("[api]\nendpoint = \"http://evil.example/\"\n"))
	f.Add([]byte("[watch]\ninterval = 20\n"))
	f.Add([]byte("[auth]\nclient_secret = \"x\"\nclient_secret_cmd = \"y\"\n"))
	f.Add([]byte("a.\"b.c\".d = 1\n"))
	f.Add([]byte("[ui]\ntheme = \"\x1b[31mred\"\n"))
	f.Add([]byte("[api]\nbatch_size = \"ten\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := Default()
		err := cfg.decode("/cfg.toml", data)
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil {
			return
		}
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("%T: %v", err, err)
		}
		if strings.Contains(ce.Msg, "\n") || !strings.Contains(ce.Msg, "/cfg.toml") && !strings.HasPrefix(ce.Msg, "default") {
			t.Fatalf("not one line naming the file: %q", ce.Msg)
		}
	})
}

// FuzzSplitCommandLine: no panic; joining simple words round-trips.
func FuzzSplitCommandLine(f *testing.F) {
	for _, s := range []string{"pass show concord", `a 'b c' "d \" e"`, `x\ y`, `'unterminated`, "\t\n",
		`pass show "a b" 'c d'`,
		"0\v00", // once a crasher (9b2a405081119fb7): \v is not a word separator
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := splitCommandLine(s)
		if err != nil {
			return
		}
		for _, a := range args {
			if utf8.ValidString(s) && !utf8.ValidString(a) {
				t.Fatalf("invalid UTF-8 from valid input: %q", a)
			}
		}
		shellSpace := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
		if !strings.ContainsAny(s, `'"\`) && len(args) != len(strings.FieldsFunc(s, shellSpace)) {
			t.Fatalf("%q split into %q", s, args)
		}
	})
}
