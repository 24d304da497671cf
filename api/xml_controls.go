package api

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
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
	out = make([]byte, 0, len(body)+64)
	state, quote := inText, byte(0)
	for i := 0; i < len(body); {
		c := body[i]
		rest := body[i:]
		switch state {
		case inText, inAttr:
			switch {
			case state == inAttr && c == quote:
				state = inTag
			case state == inText && c == '<':
				state = markupState(rest)
			case c == '&':
				if n, r, ok := charRef(rest); ok && (illegalControl(r) || r == ctlMark) {
					out, changed = appendPair(out, r), true
					i += n
					continue
				}
			case illegalControl(rune(c)):
				out, changed = appendPair(out, rune(c)), true
				i++
				continue
			case bytes.HasPrefix(rest, []byte(ctlMarkUTF8)):
				out, changed = appendPair(out, ctlMark), true
				i += len(ctlMarkUTF8)
				continue
			}
		case inTag:
			switch c {
			case '"', '\'':
				state, quote = inAttr, c
			case '>':
				state = inText
			}
		case inCDATA:
			switch {
			case bytes.HasPrefix(rest, []byte("]]>")):
				out = append(out, "]]>"...)
				i += 3
				state = inText
				continue
			case illegalControl(rune(c)):
				out, changed = appendPair(out, rune(c)), true
				i++
				continue
			case bytes.HasPrefix(rest, []byte(ctlMarkUTF8)):
				out, changed = appendPair(out, ctlMark), true
				i += len(ctlMarkUTF8)
				continue
			}
		case inComment, inPI:
			end := "-->"
			if state == inPI {
				end = "?>"
			}
			if bytes.HasPrefix(rest, []byte(end)) {
				out = append(out, end...)
				i += len(end)
				state = inText
				continue
			}
		case inDirective:
			if c == '>' {
				state = inText
			}
		}
		out = append(out, c)
		i++
	}
	if !changed {
		return body, false // legal references only
	}
	return out, changed
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

// charRef parses a character reference (&#27; or &#x1B;) at the start of b:
// its length and value. Anything else reports false and is left to the
// decoder.
func charRef(b []byte) (n int, r rune, ok bool) {
	end := bytes.IndexByte(b, ';')
	if end < 3 || end > 12 || b[0] != '&' || b[1] != '#' {
		return 0, 0, false
	}
	digits, base := string(b[2:end]), 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if digits == "" || strings.ContainsAny(digits, "+-") {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || v > utf8.MaxRune {
		return 0, 0, false
	}
	return end + 1, rune(v), true
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
