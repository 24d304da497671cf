package api

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseJobIDs(t *testing.T) {
	cases := []struct {
		name, text string
		ids        []JobID
		rejected   []Rejected
	}{
		{"plain", "br0012345h00001x", []JobID{"br0012345h00001x"}, nil},
		{"upper normalised", "BR0012345H00001X", []JobID{"br0012345h00001x"}, nil},
		{"prose", "The brown fox briefly saw br0012345h00001x.", []JobID{"br0012345h00001x"}, nil},
		{"dedupe keeps first order", "br00000002, br00000001; BR00000002", []JobID{"br00000002", "br00000001"}, nil},
		{"csv", "id,br00000001,JRI-REF_1.a,done", []JobID{"br00000001", "JRI-REF_1.a"}, nil},
		{"jri prefix case", "jri-Ref1234 and JRI-Ref1234", []JobID{"JRI-Ref1234"}, nil},
		{"jri sentence end", "Please check (JRI-REF1234). Also JRI-x.", []JobID{"JRI-REF1234", "JRI-x"}, nil},
		{"too short", "br123 is odd", nil, []Rejected{{Token: "br123"}}},
		{"too long", "br1" + strings.Repeat("a", 70), nil, []Rejected{{Token: "br1" + strings.Repeat("a", 70)}}},
		{"file name", "see br0012345h00001x.pdf", nil, []Rejected{{Token: "br0012345h00001x.pdf"}}},
		{"empty jri", "JRI- nothing", nil, []Rejected{{Token: "JRI-"}}},
		{"inside a word", "xbr0012345h00001x abr00000001", nil, nil},
		{"after punctuation", "job#br00000001 ticket=JRI-7", []JobID{"br00000001", "JRI-7"}, nil},
		{"unicode around", "«br00000001» → JRI-ü", []JobID{"br00000001"}, []Rejected{{Token: "JRI-ü", Reason: "contains U+00FC"}}},
		{"zero-width space inside", "br0038226h\u200b00001i", nil, []Rejected{{Token: "br0038226h\\u{200B}00001i", Reason: "contains U+200B"}}},
		{"cyrillic letter inside", "br0038226h\u043000001i ok br00000001", []JobID{"br00000001"}, []Rejected{{Token: "br0038226hа00001i", Reason: "contains U+0430"}}},
		{"cyrillic letter before", "\u0430br0038226h00001i", nil, []Rejected{{Token: "аbr0038226h00001i", Reason: "contains U+0430"}}},
		{"zero-width joiner after", "br0038226h00001i\u200d.", nil, []Rejected{{Token: "br0038226h00001i\\u{200D}", Reason: "contains U+200D"}}},
		{"byte order mark before jri", "\ufeffJRI-REF1", nil, []Rejected{{Token: "\\u{FEFF}JRI-REF1", Reason: "contains U+FEFF"}}},
		{"full-width digit", "br0038226h０0001i", nil, []Rejected{{Token: "br0038226h０0001i", Reason: "contains U+FF10"}}},
		{"non-breaking space separates", "br00000001\u00a0br00000002", []JobID{"br00000001", "br00000002"}, nil},
		{"hyphen keeps a foreign word apart", "Жук-br00000001", []JobID{"br00000001"}, nil},
		{"long jri", "JRI-" + strings.Repeat("r", 65), nil, []Rejected{{Token: "JRI-" + strings.Repeat("r", 65)}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ids, rej := ParseJobIDs(tc.text)
			if !reflect.DeepEqual(ids, tc.ids) {
				t.Errorf("ids = %q, want %q", ids, tc.ids)
			}
			var wantRej []Rejected
			for _, r := range tc.rejected {
				wantRej = append(wantRej, Rejected{Token: clip(r.Token, 80), Reason: r.Reason})
			}
			if !reflect.DeepEqual(rej, wantRej) {
				t.Errorf("rejected = %q, want %q", rej, wantRej)
			}
		})
	}
}

func TestParseJobID(t *testing.T) {
	good := map[string]JobID{" BR0012345h00001X ": "br0012345h00001x", "jri-A.b_c-1": "JRI-A.b_c-1"}
	for in, want := range good {
		if got, ok := ParseJobID(in); !ok || got != want {
			t.Errorf("ParseJobID(%q) = %q %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "brown", "br1234", "br0012345h0000-x", "JRI-", "JRI-a b", "x br00000001"} {
		if got, ok := ParseJobID(in); ok {
			t.Errorf("ParseJobID(%q) accepted as %q", in, got)
		}
	}
}

func FuzzParseJobIDs(f *testing.F) {
	for _, s := range []string{"br0012345h00001x", "JRI-REF1234.", "brown br1 JRI-", "a,br00000001;JRI-x_y)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ids, rejected := ParseJobIDs(text)
		seen := map[JobID]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Fatalf("duplicate %q", id)
			}
			seen[id] = true
			again, ok := ParseJobID(string(id))
			if !ok || again != id {
				t.Fatalf("%q does not re-parse to itself", id)
			}
			if again, _ := ParseJobIDs(string(id)); len(again) != 1 || again[0] != id {
				t.Fatalf("%q not found alone: %q", id, again)
			}
		}
		for _, rej := range rejected {
			r := rej.Token
			if !utf8.ValidString(r) || Sanitize(r) != r || len(r) > 80 {
				t.Fatalf("unsafe rejected token %q", r)
			}
			if _, ok := ParseJobID(r); ok {
				t.Fatalf("valid ID %q rejected", r)
			}
		}
		// No ID is only a piece of words that hold a hidden or foreign
		// character: where the text names it, one of its words is clean (the
		// same ID may stand alone elsewhere in the text).
		words := strings.FieldsFunc(text, func(r rune) bool { return !(r < utf8.RuneSelf && isAlnum(byte(r)) || glued(r)) })
		for _, id := range ids {
			var tainted string
			clean := false
			for _, w := range words {
				if !strings.Contains(strings.ToLower(w), strings.ToLower(string(id))) {
					continue
				}
				if strings.IndexFunc(w, glued) >= 0 {
					tainted = w
				} else {
					clean = true
				}
			}
			if tainted != "" && !clean {
				t.Fatalf("%q taken out of the word %q", id, tainted)
			}
		}
	})
}
