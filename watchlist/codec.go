package watchlist

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// A hand-written JSON reader and writer for the one fixed schema in
// format.go: encoding/json's reflection made a 10,000-job save or load cost
// tens of milliseconds on the dashboard's goroutine. The reader is strict
// JSON (RFC 8259); it skips unknown keys, takes null as "not set", and tells
// a syntax error (the file is corrupt) from a type error (one job is
// unusable and is dropped).

// maxDepth bounds the nesting of unknown values that are skipped.
const maxDepth = 64

// syntaxError: the bytes are not JSON at all.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("invalid JSON at byte %d: %s", e.off, e.msg) }

// typeError: valid JSON, but not what the schema wants here.
type typeError struct {
	off int
	msg string
}

func (e *typeError) Error() string { return fmt.Sprintf("at byte %d: %s", e.off, e.msg) }

type jsonReader struct {
	b     []byte
	i     int
	depth int

	// A file is read a window at a time (see unit): src is the rest of the
	// input (nil when b is all of it), base the input offset of b[0].
	src  io.Reader
	eof  bool
	base int

	// Short strings that repeat across jobs (states, descriptions, a batch's
	// activity ID) are kept once: fewer allocations, less memory at 100k.
	pool    map[string]string
	history []Transition // scratch for one job's history
}

// maxShared bounds the table of shared strings.
const maxShared = 8192

func (r *jsonReader) syntax(msg string) error { return &syntaxError{off: r.base + r.i, msg: msg} }

func (r *jsonReader) wrongType(want string) error {
	return &typeError{off: r.base + r.i, msg: "want " + want}
}

// readError: the input could not be read; it says nothing about the file's
// content.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }

// unit runs parse on the input from r.i, which must read one whole value or
// token and may be run again. Reading stops at the end of the window, so
// when parse fails, or ends where the window ends (a number may go on), and
// more input is left, unit reads more and runs parse again from the same
// place. parse gets that place, and must keep its results to itself until
// unit returns.
func (r *jsonReader) unit(parse func(start int) error) error {
	for {
		start := r.i
		err := parse(start)
		if err == nil && r.i < len(r.b) || r.src == nil || r.eof {
			return err
		}
		if ferr := r.fill(start); ferr != nil {
			return ferr
		}
	}
}

// fill keeps the window from start on (start becomes 0), makes room, and
// reads more input after it; at the end of the input it sets eof.
func (r *jsonReader) fill(start int) error {
	kept := copy(r.b, r.b[start:])
	r.base += start
	r.b, r.i = r.b[:kept], 0
	if kept == cap(r.b) { // one value larger than the window
		r.b = append(make([]byte, 0, 2*cap(r.b)+1), r.b...)
	}
	for {
		n, err := r.src.Read(r.b[kept:cap(r.b)])
		r.b = r.b[:kept+n]
		switch {
		case errors.Is(err, io.EOF):
			r.eof = true
			return nil
		case err != nil:
			return &readError{err}
		case n > 0:
			return nil
		}
	}
}

func (r *jsonReader) skipSpace() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next significant byte, 0 at the end.
func (r *jsonReader) peek() byte {
	r.skipSpace()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

func (r *jsonReader) literal(lit string) error {
	if len(r.b)-r.i < len(lit) || string(r.b[r.i:r.i+len(lit)]) != lit {
		return r.syntax("bad literal")
	}
	r.i += len(lit)
	return nil
}

// null consumes a null and reports whether there was one.
func (r *jsonReader) null() (bool, error) {
	if r.peek() != 'n' {
		return false, nil
	}
	return true, r.literal("null")
}

// plainByte marks the bytes a string may hold as they are.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// rawString reads a string token and returns its bytes between the quotes,
// still escaped when escaped is true.
func (r *jsonReader) rawString() (raw []byte, escaped bool, err error) {
	if r.peek() != '"' {
		return nil, false, r.wrongType("a string")
	}
	r.i++
	start := r.i
	for r.i < len(r.b) {
		for r.i < len(r.b) && plainByte[r.b[r.i]] {
			r.i++
		}
		if r.i == len(r.b) {
			break
		}
		c := r.b[r.i]
		switch {
		case c == '"':
			raw = r.b[start:r.i]
			r.i++
			return raw, escaped, nil
		case c < 0x20:
			return nil, false, r.syntax("control character in string")
		case c == '\\':
			escaped = true
			if r.i+1 >= len(r.b) {
				return nil, false, r.syntax("unterminated escape")
			}
			switch r.b[r.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.i += 2
			case 'u':
				if r.i+6 > len(r.b) {
					return nil, false, r.syntax("short \\u escape")
				}
				for _, h := range r.b[r.i+2 : r.i+6] {
					if unhex(h) < 0 {
						return nil, false, r.syntax("bad \\u escape")
					}
				}
				r.i += 6
			default:
				return nil, false, r.syntax("bad escape")
			}
		default:
			r.i++
		}
	}
	return nil, false, r.syntax("unterminated string")
}

func (r *jsonReader) str() (string, error) {
	raw, escaped, err := r.rawString()
	if err != nil || !escaped {
		return string(raw), err
	}
	return unescape(raw), nil
}

// shared reads a string like str, keeping one copy of short ones.
func (r *jsonReader) shared() (string, error) {
	if isNull, err := r.null(); isNull || err != nil {
		return "", err
	}
	raw, escaped, err := r.rawString()
	if err != nil || escaped || len(raw) > 64 || r.pool == nil {
		if escaped {
			return unescape(raw), err
		}
		return string(raw), err
	}
	if s, ok := r.pool[string(raw)]; ok {
		return s, nil
	}
	s := string(raw)
	if len(r.pool) < maxShared {
		r.pool[s] = s
	}
	return s, nil
}

// key reads an object key; unescaped keys are returned without copying.
func (r *jsonReader) key() ([]byte, error) {
	raw, escaped, err := r.rawString()
	if err != nil {
		return nil, r.syntax("want a key")
	}
	if escaped {
		raw = []byte(unescape(raw))
	}
	if r.peek() != ':' {
		return nil, r.syntax("want ':'")
	}
	r.i++
	return raw, nil
}

// number scans a number token and returns it.
func (r *jsonReader) number() ([]byte, error) {
	r.skipSpace()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.b) && r.b[r.i] == '0':
		r.i++
	case r.i < len(r.b) && r.b[r.i] >= '1' && r.b[r.i] <= '9':
		r.digits()
	default:
		return nil, r.syntax("bad number")
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if r.digits() == 0 {
			return nil, r.syntax("bad fraction")
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if r.digits() == 0 {
			return nil, r.syntax("bad exponent")
		}
	}
	return r.b[start:r.i], nil
}

func (r *jsonReader) digits() int {
	n := 0
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
		n++
	}
	return n
}

// integer reads a number that must be a plain integer that fits an int.
func (r *jsonReader) integer() (int, error) {
	if isNull, err := r.null(); isNull || err != nil {
		return 0, err
	}
	if c := r.peek(); c != '-' && (c < '0' || c > '9') {
		return 0, r.wrongType("a number")
	}
	tok, err := r.number()
	if err != nil {
		return 0, err
	}
	neg := tok[0] == '-'
	if neg {
		tok = tok[1:]
	}
	if len(tok) > 18 {
		return 0, r.wrongType("a smaller integer")
	}
	n := 0
	for _, c := range tok {
		if c < '0' || c > '9' {
			return 0, r.wrongType("an integer")
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	if n != int(int32(n)) && strconv.IntSize == 32 {
		return 0, r.wrongType("a smaller integer")
	}
	return n, nil
}

func (r *jsonReader) boolean() (bool, error) {
	switch r.peek() {
	case 't':
		return true, r.literal("true")
	case 'f':
		return false, r.literal("false")
	case 'n':
		return false, r.literal("null")
	}
	return false, r.wrongType("true or false")
}

// timestamp reads an RFC 3339 string. Times outside years 1..9999 (in UTC)
// could not be written back, so they count as unset.
func (r *jsonReader) timestamp() (time.Time, error) {
	if isNull, err := r.null(); isNull || err != nil {
		return time.Time{}, err
	}
	raw, escaped, err := r.rawString()
	if err != nil {
		return time.Time{}, err
	}
	if escaped {
		raw = []byte(unescape(raw))
	}
	var t time.Time
	if err := t.UnmarshalText(raw); err != nil {
		return time.Time{}, r.wrongType("an RFC 3339 time")
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, nil
	}
	return t.Local(), nil
}

// openObject reads null, or an object's '{' and, when nothing follows,
// its '}'; empty reports that no key is left to read.
func (r *jsonReader) openObject() (empty bool, err error) {
	switch r.peek() {
	case 'n':
		return true, r.literal("null")
	case '{':
	default:
		return false, r.wrongType("an object")
	}
	r.i++
	if r.peek() == '}' {
		r.i++
		return true, nil
	}
	return false, nil
}

// object calls fn for each key; fn must consume the value. null is empty.
func (r *jsonReader) object(fn func(key []byte) error) error {
	if empty, err := r.openObject(); err != nil || empty {
		return err
	}
	for {
		k, err := r.key()
		if err != nil {
			return err
		}
		if err := fn(k); err != nil {
			return err
		}
		if more, err := r.sep('}'); err != nil || !more {
			return err
		}
	}
}

// openArray reads an array's '[' (empty when it is "[]"), or null (empty).
func (r *jsonReader) openArray() (empty bool, err error) {
	switch r.peek() {
	case 'n':
		return true, r.literal("null")
	case '[':
	default:
		return false, r.wrongType("an array")
	}
	r.i++
	if r.peek() == ']' {
		r.i++
		return true, nil
	}
	return false, nil
}

// array calls fn for each element; fn must consume it. null is empty.
func (r *jsonReader) array(fn func() error) error {
	if empty, err := r.openArray(); err != nil || empty {
		return err
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		if more, err := r.sep(']'); err != nil || !more {
			return err
		}
	}
}

// sep reads the ',' between two members or elements, or the closing
// bracket; more says which.
func (r *jsonReader) sep(closing byte) (more bool, err error) {
	switch r.peek() {
	case ',':
		r.i++
		return true, nil
	case closing:
		r.i++
		return false, nil
	}
	return false, r.syntax("want ',' or '" + string(closing) + "'")
}

// skip consumes any value, checking its syntax.
func (r *jsonReader) skip() error {
	switch c := r.peek(); {
	case c == '{', c == '[':
		r.depth++
		defer func() { r.depth-- }()
		if r.depth > maxDepth {
			return r.syntax("nested too deeply")
		}
		if c == '{' {
			return r.object(func([]byte) error { return r.skip() })
		}
		return r.array(r.skip)
	case c == '"':
		_, _, err := r.rawString()
		return err
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		_, err := r.number()
		return err
	case c == 0:
		return r.syntax("unexpected end")
	}
	return r.syntax("unexpected character")
}

// unescape decodes a string body already checked by rawString. Lone
// surrogates become U+FFFD, as encoding/json does.
func unescape(raw []byte) string {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch raw[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if pair := utf16.DecodeRune(r, hex4(raw[i+2:i+6])); pair != utf8.RuneError {
						out = utf8.AppendRune(out, pair)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default: // " \ /
			out = append(out, raw[i+1])
		}
		i += 2
	}
	return string(out)
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r = r<<4 | rune(unhex(c))
	}
	return r
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// ---- writing ----

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string; invalid UTF-8 becomes U+FFFD and
// U+2028/U+2029 are escaped, as encoding/json does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendTime writes t in UTC, RFC 3339 with as much precision as it has.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// field helpers: each writes ,"name":value, leaving zero values out.

func appendStrField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(append(append(b, ",\""...), name...), "\":"...)
	return appendString(b, v)
}

func appendIntField(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	b = append(append(append(b, ",\""...), name...), "\":"...)
	return strconv.AppendInt(b, v, 10)
}

func appendTimeField(b []byte, name string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(append(append(b, ",\""...), name...), "\":"...)
	return appendTime(b, t)
}

func appendBoolField(b []byte, name string, v bool) []byte {
	if !v {
		return b
	}
	return append(append(append(b, ",\""...), name...), "\":true"...)
}
