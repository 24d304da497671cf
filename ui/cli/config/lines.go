package config

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// keyLine finds the 1-based line that defines key in TOML text, or 0. The
// decoder keeps positions to itself, so this is a small scan that knows table
// headers, dotted and quoted keys; anything it cannot place falls back to the
// first line that assigns the key's last part.
func keyLine(text string, key toml.Key) int {
	want := key.String()
	var table []string
	fallback := 0
	last := key[len(key)-1]
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			name := strings.TrimLeft(line, "[")
			if j := strings.IndexByte(name, ']'); j >= 0 {
				name = name[:j]
			}
			table = splitDottedKey(name)
			if toml.Key(table).String() == want {
				return i + 1
			}
			continue
		}
		eq := strings.IndexByte(line, '=')
		if eq <= 0 {
			continue
		}
		parts := splitDottedKey(line[:eq])
		full := append(append([]string{}, table...), parts...)
		if toml.Key(full).String() == want {
			return i + 1
		}
		if fallback == 0 && len(parts) > 0 && parts[len(parts)-1] == last {
			fallback = i + 1
		}
	}
	return fallback
}

// splitDottedKey splits `a."b.c".d` into [a b.c d].
func splitDottedKey(s string) []string {
	var parts []string
	var cur strings.Builder
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(parts, strings.TrimSpace(cur.String()))
}
