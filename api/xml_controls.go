package api

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"unicode/utf8"
)

// XML 1.0 forbids the C0 controls other than tab, LF and CR, raw or as
// character references. gSOAP writes them as references (&#x1B;), node-soap
// raw, and encoding/xml refuses both, so one fax machine's CSID would cost a
// whole batch. Before decoding, each such character in text, CDATA or an
// attribute value is rewritten as a private-use pair the decoder accepts;
// the token reader in front of the decoder turns the pairs back, and the
// character then meets Sanitize like any other. Markup is not touched, so
// every other well-formedness error stays an error.
const (
	ctlMark = '\uF8FF' // starts a pair; ctlMark ctlMark stands for a real U+F8FF
	ctlBase = '\uF700' // ctlMark, ctlBase+c stands for control c
)

const ctlMarkUTF8 = string(ctlMark)

// illegalControl reports whether r is a C0 control XML 1.0 cannot carry.
func illegalControl(r rune) bool { return r >= 0 && r < 0x20 && r != '\t' && r != '\n' && r != '\r' }

// newXMLDecoder reads an XML body of contentType: converted to UTF-8 from
// its declared charset, control characters in text tolerated, Strict.
func newXMLDecoder(contentType string, body []byte) (*xml.Decoder, error) {
	body, err := toUTF8(contentType, body)
	if err != nil {
		return nil, err
	}
	escaped, changed := escapeControls(body)
	inner := xml.NewDecoder(bytes.NewReader(escaped))
	inner.Strict = true
	inner.CharsetReader = keepUTF8 // toUTF8 has converted whatever was declared
	if !changed {
		return inner, nil
	}
	d := xml.NewTokenDecoder(controlRestorer{inner})
	d.Strict = true
	return d, nil
}

func keepUTF8(_ string, r io.Reader) (io.Reader, error) { return r, nil }

// Where escapeControls is in the document.
const (
	inText = iota
	inTag
	inAttr
	inCDATA
	inComment
	inPI
	inDirective
)

// escapeControls rewrites illegal controls (and real U+F8FF) in text, CDATA
// and attribute values as pairs; changed is false when there was none.
func escapeControls(body []byte) (out []byte, changed bool) {
	if !mayHoldControls(body) {
		return body, false
	}
	sc := controlScanner{out: make([]byte, 0, len(body)+64), state: inText}
	for i := 0; i < len(body); {
		i += sc.step(body[i:])
	}
	if !sc.changed {
		return body, false // legal references only
	}
	return sc.out, true
}

// controlScanner walks a document once, tracking only as much of XML's
// structure as tells text and attribute values from markup.
type controlScanner struct {
	out     []byte
	changed bool
	state   int
	quote   byte // the quote that ends the attribute value being read
}

// step copies or rewrites the start of rest and says how many bytes it took.
func (sc *controlScanner) step(rest []byte) int {
	c := rest[0]
	switch sc.state {
	case inText, inAttr:
		switch {
		case sc.state == inAttr && c == sc.quote:
			sc.state = inTag
		case sc.state == inText && c == '<':
			return sc.enterMarkup(rest)
		default:
			if n := sc.escapeAt(rest, true); n > 0 {
				return n
			}
		}
	case inTag:
		switch c {
		case '"', '\'':
			sc.state, sc.quote = inAttr, c
		case '>':
			sc.state = inText
		}
	case inCDATA:
		if bytes.HasPrefix(rest, []byte("]]>")) {
			return sc.leave(rest, "]]>")
		}
		if n := sc.escapeAt(rest, false); n > 0 {
			return n
		}
	case inComment:
		if bytes.HasPrefix(rest, []byte("-->")) {
			return sc.leave(rest, "-->")
		}
	case inPI:
		if bytes.HasPrefix(rest, []byte("?>")) {
			return sc.leave(rest, "?>")
		}
	}
	sc.out = append(sc.out, c)
	return 1
}

// enterMarkup copies the opener of the markup that starts rest (a
// directive whole) and moves to its state. Skipping the opener keeps "<!-->"
// and "<?>" from reading as closed, as encoding/xml does not.
func (sc *controlScanner) enterMarkup(rest []byte) int {
	state := markupState(rest)
	n := 1
	switch state {
	case inDirective:
		n = directiveLen(rest)
		state = inText
	case inComment:
		n = len("<!--")
	case inCDATA:
		n = len("<![CDATA[")
	case inPI:
		n = len("<?")
	}
	sc.out = append(sc.out, rest[:n]...)
	sc.state = state
	return n
}

// directiveLen is how far the directive that starts rest ("<!", not a
// comment or CDATA) runs, through its closing '>', read as encoding/xml
// reads it: the byte after "<!" always belongs to it, quoted brackets do not
// count, nested <...> and <!--...--> do. Unclosed, it runs to the end.
func directiveLen(rest []byte) int {
	i := min(3, len(rest))
	quote, depth := byte(0), 0
	for i < len(rest) {
		b := rest[i]
		i++
		if quote == 0 && b == '>' && depth == 0 {
			return i
		}
		for again := true; again; {
			again = false
			switch {
			case b == quote:
				quote = 0
			case quote != 0:
			case b == '\'' || b == '"':
				quote = b
			case b == '>':
				depth--
			case b == '<':
				k := 0
				for k < 3 && i+k < len(rest) && rest[i+k] == "!--"[k] {
					k++
				}
				switch {
				case k == 3: // a comment inside: skip through its "-->"
					end := bytes.Index(rest[i+3:], []byte("-->"))
					if end < 0 {
						return len(rest)
					}
					i += 3 + end + 3
				case i+k >= len(rest):
					return len(rest)
				default: // not a comment: a nested bracket, and the byte that broke the match is read again
					depth++
					b = rest[i+k]
					i += k + 1
					again = true
				}
			}
		}
	}
	return len(rest)
}

// leave copies the end marker that starts rest and returns to text.
func (sc *controlScanner) leave(rest []byte, end string) int {
	sc.out = append(sc.out, end...)
	sc.state = inText
	return len(end)
}

// escapeAt writes the illegal control (or real U+F8FF) that starts rest as a
// pair and says how many bytes it took; 0 when rest starts with none.
// Character references count only where XML reads them (not in CDATA).
func (sc *controlScanner) escapeAt(rest []byte, refs bool) int {
	c := rest[0]
	switch {
	case refs && c == '&':
		if n, r, ok := charRef(rest); ok && (illegalControl(r) || r == ctlMark) {
			sc.out, sc.changed = appendPair(sc.out, r), true
			return n
		}
	case illegalControl(rune(c)):
		sc.out, sc.changed = appendPair(sc.out, rune(c)), true
		return 1
	case bytes.HasPrefix(rest, []byte(ctlMarkUTF8)):
		sc.out, sc.changed = appendPair(sc.out, ctlMark), true
		return len(ctlMarkUTF8)
	}
	return 0
}

// markupState is the state after the '<' that starts rest.
func markupState(rest []byte) int {
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		return inComment
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		return inCDATA
	case bytes.HasPrefix(rest, []byte("<?")):
		return inPI
	case bytes.HasPrefix(rest, []byte("<!")):
		return inDirective
	}
	return inTag
}

// mayHoldControls is a quick look for anything escapeControls would change.
func mayHoldControls(body []byte) bool {
	for i, c := range body {
		switch {
		case illegalControl(rune(c)):
			return true
		case c == '&' && i+1 < len(body) && body[i+1] == '#':
			return true
		case c == ctlMarkUTF8[0] && bytes.HasPrefix(body[i:], []byte(ctlMarkUTF8)):
			return true
		}
	}
	return false
}

// charRef parses a character reference (&#27;, &#x1B;, &#x0001B;: XML
// allows any number of leading zeros) at the start of b: its length and
// value. Anything else, a value past U+10FFFF included, reports false and is
// left to the decoder, which refuses it.
func charRef(b []byte) (n int, r rune, ok bool) {
	if len(b) < 4 || b[0] != '&' || b[1] != '#' {
		return 0, 0, false
	}
	i, base := 2, rune(10)
	if b[2] == 'x' {
		i, base = 3, 16
	}
	start := i
	for ; i < len(b); i++ {
		d := digitValue(b[i])
		if d < 0 || d >= base {
			break
		}
		if r <= utf8.MaxRune { // past it, stop growing: no wrap-around
			r = r*base + d
		}
	}
	if i == start || i == len(b) || b[i] != ';' || r > utf8.MaxRune {
		return 0, 0, false
	}
	return i + 1, r, true
}

// digitValue is c's value as a hex digit, or -1.
func digitValue(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return rune(c-'A') + 10
	}
	return -1
}

func appendPair(out []byte, r rune) []byte {
	out = utf8.AppendRune(out, ctlMark)
	if r == ctlMark {
		return utf8.AppendRune(out, ctlMark)
	}
	return utf8.AppendRune(out, ctlBase+r)
}

// controlRestorer hands the decoder's raw tokens on with pairs turned back
// into the characters they stand for. The outer decoder (NewTokenDecoder)
// still translates namespaces and checks that tags match.
type controlRestorer struct{ d *xml.Decoder }

func (cr controlRestorer) Token() (xml.Token, error) {
	tok, err := cr.d.RawToken()
	switch t := tok.(type) {
	case xml.CharData:
		if bytes.Contains(t, []byte(ctlMarkUTF8)) {
			tok = xml.CharData(restoreControls(string(t)))
		}
	case xml.StartElement:
		for i := range t.Attr {
			if strings.Contains(t.Attr[i].Value, string(ctlMark)) {
				t.Attr[i].Value = restoreControls(t.Attr[i].Value)
			}
		}
	}
	return tok, err
}

func restoreControls(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r != ctlMark || i >= len(s) {
			b.WriteString(s[i-size : i])
			continue
		}
		next, nsize := utf8.DecodeRuneInString(s[i:])
		switch {
		case next == ctlMark:
			b.WriteRune(ctlMark)
			i += nsize
		case next >= ctlBase && next < ctlBase+0x20:
			b.WriteByte(byte(next - ctlBase))
			i += nsize
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
