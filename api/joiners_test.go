package api

import (
	"testing"
	"unicode"

	"github.com/clipperhouse/uax29/v2/graphemes"
)

// TestJoinersPrefilter checks mayJoin and the three predicates against the
// segmenter for every printable rune: a rune the prefilter skips must not
// share a cluster with anything.
func TestJoinersPrefilter(t *testing.T) {
	joining := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsPrint(r) {
			continue
		}
		s := string(r)
		self := len(graphemes.FromString(s+s).First()) != len(s)
		prev := len(graphemes.FromString("x"+s).First()) != 1
		next := len(graphemes.FromString(s+"x").First()) != len(s)
		if (self || prev || next) && !mayJoin(r) {
			t.Errorf("%U joins a neighbour but mayJoin skips it", r)
		}
		if (prev || next) && !self {
			t.Errorf("%U joins plain text but not itself: Joins would keep it", r)
		}
		if self != Joins(r) || prev != joinsPrevious(s) || next != joinsNext(s) {
			t.Errorf("%U: Joins %v, joinsPrevious %v, joinsNext %v; the segmenter says %v, %v, %v",
				r, Joins(r), joinsPrevious(s), joinsNext(s), self, prev, next)
		}
		if self {
			joining++
		}
	}
	if joining < 2000 {
		t.Fatalf("only %d joining runes: the check is not looking at marks", joining)
	}
}
