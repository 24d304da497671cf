package watchlist

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStringsAgreeWithEncodingJSON(t *testing.T) {
	tests := []string{
		"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"é ü 日本 🎉", "\u2028\u2029", "\u202e\u200b", "bad \xff\xfe utf8", "</script>&",
		strings.Repeat("x", 300),
	}
	for _, s := range tests {
		// What we write, encoding/json reads back the same.
		var back string
		if err := json.Unmarshal(appendString(nil, s), &back); err != nil {
			t.Fatalf("appendString(%q) is not JSON: %v", s, err)
		}
		var want string // encoding/json's own round trip: each bad byte becomes U+FFFD
		std, _ := json.Marshal(s)
		_ = json.Unmarshal(std, &want)
		if back != want {
			t.Errorf("appendString(%q) read back as %q", s, back)
		}
		// What encoding/json writes, we read back the same.
		enc, _ := json.Marshal(s)
		r := &jsonReader{b: enc}
		got, err := r.str()
		if err != nil || (utf8.ValidString(s) && got != s) {
			t.Errorf("reading %s: %q, %v", enc, got, err)
		}
	}
}

func TestReaderRejectsBadJSON(t *testing.T) {
	bad := []string{
		`{"version":1,"jobs":[]`, `{"version":1,"jobs":[],}`, `{"version":01,"jobs":[]}`,
		`{"version":1,"jobs":[{"id":"br1000001x\u12"}]}`, `{"version":1,"jobs":[{"id":"a` + "\n" + `"}]}`,
		`{"version":1,"jobs":["x" "y"]}`, `{"version":1 "jobs":[]}`, `{"version":1,"jobs":[tru]}`,
		`{"version":-,"jobs":[]}`, `{"version":1.,"jobs":[]}`, `{"version":1,"jobs":[]}{}`,
		`{"version":1,"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `,"jobs":[]}`,
	}
	for _, in := range bad {
		if _, _, err := decodeEntries("p", []byte(in)); err == nil {
			t.Errorf("accepted %s", in)
		}
	}
	good := []string{
		`{"version":1,"jobs":[]}`, ` { "jobs" : null , "version" : 1 } `, `{"version":1,"jobs":[],"extra":{"a":[1,2.5e-3,true,false,null,"\ud83c\udf89"]}}`,
		`{"version":1,"jobs":[{"id":"br1000001x","future":{"x":[]},"status":null,"history":null}]}`,
	}
	for _, in := range good {
		if _, dropped, err := decodeEntries("p", []byte(in)); err != nil || len(dropped) > 0 {
			t.Errorf("refused %s: %v %v", in, err, dropped)
		}
	}
}

func TestWrongTypedJobIsDroppedNotFatal(t *testing.T) {
	in := `{"version":1,"jobs":[{"id":"br1000001x","status":{"status_id":"two"}},{"id":"br1000002x","status":{"status_id":2.5}},` +
		`{"id":"br1000003x","history":[{"at":"yesterday"}]},{"id":"br1000004x","status":{"status_id":99999999999999999999}},{"id":"br1000005x"}]}`
	entries, dropped, err := decodeEntries("p", []byte(in))
	if err != nil || len(entries) != 1 || entries[0].ID != "br1000005x" || len(dropped) != 4 ||
		!strings.Contains(dropped[0], `"br1000001x" has a field of the wrong type`) {
		t.Fatalf("entries %v, dropped %q, err %v", entries, dropped, err)
	}
}
