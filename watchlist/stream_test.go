package watchlist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// TestDecodeInWindows reads each input whole and in small windows: every
// window size must give the same entries, the same dropped jobs and the same
// error. The cases put a cut in every token: numbers (which end only where
// the next byte says so), literals, escapes, a job larger than the window,
// whitespace between members.
func TestDecodeInWindows(t *testing.T) {
	var many strings.Builder
	many.WriteString(`{"version":1,"jobs":[`)
	for i := range 40 {
		if i > 0 {
			many.WriteString(",\n")
		}
		fmt.Fprintf(&many, `{"id":"br1%06dx","note":"caf\u00e9 \"%d\"","status":{"state":"failed","status_id":2,"error_code":2008,`+
			`"fax_job_id":"br1%06dx","stale":true,"details":{"pages_sent":%d},"call":{"return":true,"execution_ms":12345}},`+
			`"history":[{"from":"pending","to":"failed","at":"2026-03-04T10:00:00Z","description":"d"}]}`, i, i, i, i*7)
	}
	many.WriteString("]}")
	cases := []struct {
		name, in string
	}{
		{"many jobs", many.String()},
		{"a job that is a number", `{"version":1,"jobs":[123,{"id":"br1000001x"}]}`},
		{"version last, spaces", " {\n \"jobs\" : [ {\"id\":\"br1000001x\"} ] ,\t\"version\" : 1 }\n "},
		{"long version number", `{"version":100000000000000000001,"jobs":[]}`},
		{"version 12", `{"version":12,"jobs":[]}`},
		{"jobs null", `{"version":1,"jobs":null}`},
		{"jobs not an array", `{"version":1,"jobs":{"a":[1,2]}}`},
		{"jobs twice", `{"version":1,"jobs":[{"id":"br1000001x"}],"jobs":[{"id":"br1000002x"}]}`},
		{"unknown value", `{"extra":{"a":[1,2.5e-3,true,false,null,"\ud83c\udf89"]},"version":1,"jobs":[]}`},
		{"wrong types dropped", `{"version":1,"jobs":[{"id":"br1000001x","status":{"status_id":"two"}},{"id":"br1000002x","status":{"status_id":2.5}},{"id":"br1000003x"}]}`},
		{"duplicate and bad IDs", `{"version":1,"jobs":[{"id":"br1000001x"},{"id":"br1000001x"},{"id":"nope"},{"id":7}]}`},
		{"null top level", `null`},
		{"empty object", `{}`},
		{"not an object", `[1]`},
		{"empty", ``},
		{"trailing data", `{"version":1,"jobs":[]} x`},
		{"trailing space", "{\"version\":1,\"jobs\":[]}   \n"},
		{"truncated", `{"version":1,"jobs":[{"id":"br1000001x","note":"ab`},
		{"truncated number", `{"version":1,"jobs":[12`},
		{"bad literal", `{"version":1,"jobs":[{"id":"br1000001x","status":{"stale":tru}}]}`},
		{"bad delimiter", `{"version":1,"jobs":[{"id":"br1000001x"} {"id":"br1000002x"}]}`},
		{"newer version", `{"version":2,"jobs":[{"id":"br1000001x"}]}`},
		{"deep unknown value", `{"version":1,"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `,"jobs":[]}`},
	}
	type result struct {
		entries []Entry
		dropped []string
		err     string
	}
	run := func(in []byte, window int, short bool) result {
		src := iotestReader(in, short)
		entries, dropped, err := decodeWindowed("p", src, len(in), window)
		r := result{entries: entries, dropped: dropped}
		if err != nil {
			r.err = err.Error()
		}
		return r
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(tc.in)
			whole := run(in, len(in)+1, false)
			for _, window := range []int{1, 2, 3, 5, 8, 13, 64, 200} {
				for _, short := range []bool{false, true} {
					if got := run(in, window, short); !reflect.DeepEqual(got, whole) {
						t.Fatalf("window %d (one byte a read: %v):\n got %+v\nwant %+v", window, short, got, whole)
					}
				}
			}
		})
	}
}

// iotestReader reads in; short makes every read return one byte.
func iotestReader(in []byte, short bool) io.Reader {
	if short {
		return iotest.OneByteReader(bytes.NewReader(in))
	}
	return bytes.NewReader(in)
}

// TestDecodeReadError: a read that fails is the read's error, not a corrupt
// file (which would be moved aside).
func TestDecodeReadError(t *testing.T) {
	in := []byte(`{"version":1,"jobs":[{"id":"br1000001x"},{"id":"br1000002x"}]}`)
	boom := errors.New("boom")
	src := iotest.DataErrReader(&failAfter{data: in[:30], err: boom})
	_, _, err := decodeWindowed("p", src, len(in), 8)
	if !errors.Is(err, boom) || errors.Is(err, errCorrupt) {
		t.Fatalf("err = %v, want the read error and not errCorrupt", err)
	}
}

// failAfter gives data, then err.
type failAfter struct {
	data []byte
	err  error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}
