package api

import (
	"bytes"
	"unicode/utf8"
)

// The fast path decodes the common status answer (a SOAP envelope of
// prefixed elements, plain text, the five named entities and numeric
// character references) in one pass over the bytes, with no reflection and
// one string allocation for all text. It accepts only documents it has fully
// checked by encoding/xml's Strict rules, and yields to decodeXMLResponse
// (encoding/xml) for anything else: comments, CDATA, DTDs, processing
// instructions, non-ASCII names, faults, every error. So the answer and the
// error for a given body are the reflection decoder's, only faster; the
// fuzz target FuzzDecodeSOAP checks that both agree.

// span is a range of the text arena; the zero span is "", which is also what
// an absent element decodes to.
type span struct{ off, end int32 }

// Item fields by WSDL name; strings and ints are kept as raw text until the
// end, as encoding/xml does, so a repeated element's last value wins.
const (
	fJobID = iota
	fDescription
	fDeliveredAt
	fRemoteCSID
	fReferenceID
	fStatusID
	fRecipientState
	fPagesSent
	fPagesTotal
	fDuration
	fErrorCode
	fErrorString
	nItemFields
)

type rawItem [nItemFields]span

func itemField(local []byte) int {
	switch string(local) {
	case "FaxJobId":
		return fJobID
	case "StatusDescription":
		return fDescription
	case "FaxDeliveryDateTime":
		return fDeliveredAt
	case "RemoteFaxCSID":
		return fRemoteCSID
	case "ReferenceId":
		return fReferenceID
	case "FaxJobStatusId":
		return fStatusID
	case "RecipientState":
		return fRecipientState
	case "RecipientCurrentPageCount":
		return fPagesSent
	case "RecipientTotalPageCount":
		return fPagesTotal
	case "FaxDeliveryDuration":
		return fDuration
	}
	return -1
}

type tokKind uint8

const (
	tokBail  tokKind = iota // not for the fast path: let encoding/xml decide
	tokStart                // <a ...> or <a .../>
	tokEnd                  // </a>
	tokText                 // character data (validated; stored when capturing)
	tokEOF
)

type nsBind struct{ prefix, uri []byte }

type openElem struct {
	name []byte // qualified, as written
	ns   int    // len(fastXML.ns) before this element's declarations
}

type fastXML struct {
	b     []byte
	i     int
	ns    []nsBind
	stack []openElem
	arena []byte

	// the current token
	name      []byte // tokStart, tokEnd: qualified name
	selfClose bool   // tokStart
	capture   bool   // tokText appends decoded text to arena
	// lastTextSpace: the last tokText was only XML white space
	lastTextSpace bool
}

func decodeXMLFast(op Operation, body []byte) (Response, bool) {
	if !op.IsStatusList() {
		return Response{}, false
	}
	p := fastXML{b: body, ns: make([]nsBind, 0, 8), stack: make([]openElem, 0, 16), arena: make([]byte, 0, len(body)/2)}
	return p.response(op)
}

func (p *fastXML) response(op Operation) (Response, bool) {
	p.skipDecl()
	if !p.openBody() {
		return Response{}, false
	}
	// p.name is the first element inside the Body.
	space, ok := p.space(p.name)
	if !ok || string(space) != nsFaxWS || !op.acceptsWrapper(string(local(p.name))) {
		return Response{}, false // a fault or the wrong answer: the slow path words the error
	}
	var (
		ret      span
		haveRet  bool
		wsCode   span
		wsString span
		items    []rawItem
	)
	if p.selfClose {
		p.pop()
	} else {
		for {
			switch p.next() {
			case tokText:
			case tokEnd:
				goto done
			case tokStart:
				sp, ok := p.space(p.name)
				if !ok {
					return Response{}, false
				}
				if string(sp) != nsFaxWS {
					if !p.skip() {
						return Response{}, false
					}
					continue
				}
				switch string(local(p.name)) {
				case "return":
					haveRet = true
					if ret, ok = p.text(); !ok {
						return Response{}, false
					}
				case "FaxStatusList":
					if items, ok = p.list(items); !ok {
						return Response{}, false
					}
				case "WSError":
					if !p.wsError(&wsCode, &wsString) {
						return Response{}, false
					}
				default:
					if !p.skip() {
						return Response{}, false
					}
				}
			default:
				return Response{}, false
			}
		}
	}
done:
	if !haveRet || !p.closeEnvelope() {
		return Response{}, false
	}
	return p.finish(op, ret, wsCode, wsString, items)
}

// finish turns the raw spans into a Response; any value the fast parsers do
// not take as is goes back to the slow path, which words the error.
func (p *fastXML) finish(op Operation, ret, wsCode, wsString span, items []rawItem) (Response, bool) {
	text := string(p.arena) // the one allocation for all strings
	str := func(s span) string { return text[s.off:s.end] }
	resp := Response{Op: op}
	switch string(bytes.Trim(p.arena[ret.off:ret.end], " \t\r\n")) {
	case "true", "1":
		resp.Return = true
	case "false", "0":
	default:
		return Response{}, false
	}
	var ok bool
	if resp.WSError.Code, ok = p.int(wsCode); !ok {
		return Response{}, false
	}
	resp.WSError.Message = str(wsString)
	resp.Items = make([]WireItem, len(items))
	for k := range items {
		r, it := &items[k], &resp.Items[k]
		it.FaxJobID = str(r[fJobID])
		it.Description = str(r[fDescription])
		it.DeliveredAt = str(r[fDeliveredAt])
		it.RemoteCSID = str(r[fRemoteCSID])
		it.ReferenceID = str(r[fReferenceID])
		it.Error.Message = str(r[fErrorString])
		for _, f := range [...]struct {
			field int
			dst   *int
		}{{fStatusID, &it.StatusID}, {fRecipientState, &it.RecipientState}, {fPagesSent, &it.PagesSent},
			{fPagesTotal, &it.PagesTotal}, {fDuration, &it.DurationS}, {fErrorCode, &it.Error.Code}} {
			if *f.dst, ok = p.int(r[f.field]); !ok {
				return Response{}, false
			}
		}
	}
	return resp, true
}

// int reads an xsd:int the way parseWireInt does for plain ASCII digits;
// anything else (unicode spaces, '+', overflow) is left to the slow path.
func (p *fastXML) int(s span) (int, bool) {
	b := bytes.Trim(p.arena[s.off:s.end], " \t\r\n")
	if len(b) == 0 {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	if v < -1<<31 || v > 1<<31-1 {
		return 0, false
	}
	return int(v), true
}

// list reads a FaxStatusList, appending its items.
func (p *fastXML) list(items []rawItem) ([]rawItem, bool) {
	if p.selfClose {
		p.pop()
		return items, true
	}
	for {
		switch p.next() {
		case tokText:
		case tokEnd:
			return items, true
		case tokStart:
			sp, ok := p.space(p.name)
			if !ok {
				return nil, false
			}
			if string(sp) != nsFaxWS || string(local(p.name)) != "item" {
				if !p.skip() {
					return nil, false
				}
				continue
			}
			items = append(items, rawItem{})
			if !p.item(&items[len(items)-1]) {
				return nil, false
			}
		default:
			return nil, false
		}
	}
}

func (p *fastXML) item(r *rawItem) bool {
	if p.selfClose {
		p.pop()
		return true
	}
	for {
		switch p.next() {
		case tokText:
		case tokEnd:
			return true
		case tokStart:
			sp, ok := p.space(p.name)
			if !ok {
				return false
			}
			if string(sp) != nsFaxWS {
				if !p.skip() {
					return false
				}
				continue
			}
			lc := local(p.name)
			if string(lc) == "Error" {
				if !p.wsError(&r[fErrorCode], &r[fErrorString]) {
					return false
				}
				continue
			}
			f := itemField(lc)
			if f < 0 {
				if !p.skip() {
					return false
				}
				continue
			}
			if r[f], ok = p.text(); !ok {
				return false
			}
		default:
			return false
		}
	}
}

// wsError reads a WSError into the spans; like encoding/xml it overwrites
// only the fields present, so a repeated element merges.
func (p *fastXML) wsError(code, msg *span) bool {
	if p.selfClose {
		p.pop()
		return true
	}
	for {
		switch p.next() {
		case tokText:
		case tokEnd:
			return true
		case tokStart:
			sp, ok := p.space(p.name)
			if !ok {
				return false
			}
			switch {
			case string(sp) == nsFaxWS && string(local(p.name)) == "ErrorCode":
				*code, ok = p.text()
			case string(sp) == nsFaxWS && string(local(p.name)) == "ErrorString":
				*msg, ok = p.text()
			default:
				ok = p.skip()
			}
			if !ok {
				return false
			}
		default:
			return false
		}
	}
}

// text reads the element just opened as a string field: its own character
// data, concatenated; nested elements are skipped.
func (p *fastXML) text() (span, bool) {
	start := int32(len(p.arena))
	if p.selfClose {
		p.pop()
		return span{start, start}, true
	}
	for {
		p.capture = true
		k := p.next()
		p.capture = false
		switch k {
		case tokText:
		case tokEnd:
			return span{start, int32(len(p.arena))}, true
		case tokStart:
			if !p.skip() {
				return span{}, false
			}
		default:
			return span{}, false
		}
	}
}

// skip consumes the element just opened, checking it as strictly.
func (p *fastXML) skip() bool {
	if p.selfClose {
		p.pop()
		return true
	}
	for depth := 1; depth > 0; {
		switch p.next() {
		case tokStart:
			if !p.selfClose {
				depth++
			} else {
				p.pop()
			}
		case tokEnd:
			depth--
		case tokText:
		default:
			return false
		}
	}
	return true
}

// skipDecl accepts the common XML declarations; any other one is left to
// the slow path (tokBail on '<?').
func (p *fastXML) skipDecl() {
	for _, d := range [...]string{
		`<?xml version="1.0" encoding="utf-8"?>`, `<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0"?>`,
	} {
		if bytes.HasPrefix(p.b, []byte(d)) {
			p.i = len(d)
			return
		}
	}
}

// openBody mirrors openBody: to the first element in the SOAP Body.
func (p *fastXML) openBody() bool {
	var envNS string
	for depth := 0; ; {
		switch p.next() {
		case tokText:
			if depth == 0 && !p.lastTextSpace {
				return false
			}
		case tokStart:
			sp, ok := p.space(p.name)
			switch depth {
			case 0:
				if !ok || string(local(p.name)) != "Envelope" || p.selfClose {
					return false
				}
				switch string(sp) {
				case nsSOAP11:
					envNS = nsSOAP11
				case nsSOAP12:
					envNS = nsSOAP12
				default:
					return false
				}
				depth = 1
			case 1:
				if ok && string(sp) == envNS && string(local(p.name)) == "Body" {
					if p.selfClose {
						return false
					}
					depth = 2
					continue
				}
				if !p.skip() {
					return false
				}
			default:
				if !ok {
					return false
				}
				return true
			}
		default:
			return false
		}
	}
}

// closeEnvelope mirrors closeEnvelope: the rest of the Body and Envelope,
// then nothing but white space.
func (p *fastXML) closeEnvelope() bool {
	for depth := 2; ; {
		switch p.next() {
		case tokEOF:
			return depth == 0
		case tokText:
			if depth == 0 && !p.lastTextSpace {
				return false
			}
		case tokStart:
			if depth == 0 || !p.skip() {
				return false
			}
		case tokEnd:
			depth--
		default:
			return false
		}
	}
}

// ---- tokenizer ----

func local(qname []byte) []byte {
	if i := bytes.IndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// space resolves the namespace of an element name as encoding/xml does; an
// undeclared prefix or the reserved xml/xmlns prefixes go to the slow path.
func (p *fastXML) space(qname []byte) ([]byte, bool) {
	var prefix []byte
	if i := bytes.IndexByte(qname, ':'); i >= 0 {
		prefix = qname[:i]
		if string(prefix) == "xml" || string(prefix) == "xmlns" {
			return nil, false
		}
	}
	for k := len(p.ns) - 1; k >= 0; k-- {
		if bytes.Equal(p.ns[k].prefix, prefix) {
			return p.ns[k].uri, true
		}
	}
	return nil, prefix == nil
}

func (p *fastXML) pop() {
	top := p.stack[len(p.stack)-1]
	p.ns = p.ns[:top.ns]
	p.stack = p.stack[:len(p.stack)-1]
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// nameAt reads an ASCII name (prefix:local or local, each [A-Za-z_][A-Za-z0-9._-]*)
// at p.i. Anything else, which encoding/xml may or may not accept, bails.
func (p *fastXML) nameAt() ([]byte, bool) {
	start, colon := p.i, -1
	b := p.b
	for i := p.i; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_':
		case c >= '0' && c <= '9' || c == '.' || c == '-':
			if i == start || i == colon+1 {
				return nil, false
			}
		case c == ':':
			if colon >= 0 || i == start {
				return nil, false
			}
			colon = i
		case c >= 0x80:
			return nil, false
		default:
			if i == start || i == colon+1 {
				return nil, false
			}
			p.i = i
			return b[start:i], true
		}
	}
	return nil, false
}

func (p *fastXML) skipSpace() {
	for p.i < len(p.b) && isXMLSpace(p.b[p.i]) {
		p.i++
	}
}

// next reads one token. Text is validated (and decoded into the arena when
// capturing); lastTextSpace says whether it was only XML white space.
func (p *fastXML) next() tokKind {
	if p.i >= len(p.b) {
		if len(p.stack) > 0 {
			return tokBail
		}
		return tokEOF
	}
	if p.b[p.i] != '<' {
		return p.charData()
	}
	p.i++
	if p.i >= len(p.b) {
		return tokBail
	}
	switch p.b[p.i] {
	case '/':
		p.i++
		name, ok := p.nameAt()
		if !ok || len(p.stack) == 0 || !bytes.Equal(name, p.stack[len(p.stack)-1].name) {
			return tokBail
		}
		p.skipSpace()
		if p.i >= len(p.b) || p.b[p.i] != '>' {
			return tokBail
		}
		p.i++
		p.name = name
		p.pop()
		return tokEnd
	case '!', '?':
		return tokBail
	}
	name, ok := p.nameAt()
	if !ok {
		return tokBail
	}
	el := openElem{name: name, ns: len(p.ns)}
	for {
		p.skipSpace()
		if p.i >= len(p.b) {
			return tokBail
		}
		switch p.b[p.i] {
		case '/':
			if p.i+1 >= len(p.b) || p.b[p.i+1] != '>' {
				return tokBail
			}
			p.i += 2
			p.stack = append(p.stack, el)
			p.name, p.selfClose = name, true
			return tokStart
		case '>':
			p.i++
			p.stack = append(p.stack, el)
			p.name, p.selfClose = name, false
			return tokStart
		}
		attr, ok := p.nameAt()
		if !ok {
			return tokBail
		}
		p.skipSpace()
		if p.i >= len(p.b) || p.b[p.i] != '=' {
			return tokBail
		}
		p.i++
		p.skipSpace()
		val, ok := p.attrValue()
		if !ok {
			return tokBail
		}
		switch {
		case string(attr) == "xmlns":
			p.ns = append(p.ns, nsBind{prefix: nil, uri: val})
		case bytes.HasPrefix(attr, []byte("xmlns:")):
			p.ns = append(p.ns, nsBind{prefix: attr[len("xmlns:"):], uri: val})
		}
	}
}

// attrValue reads a quoted value with no entity, '<' or CR (those go to the
// slow path), checking its characters.
func (p *fastXML) attrValue() ([]byte, bool) {
	if p.i >= len(p.b) || (p.b[p.i] != '"' && p.b[p.i] != '\'') {
		return nil, false
	}
	q := p.b[p.i]
	p.i++
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == q:
			p.i++
			return p.b[start : p.i-1], true
		case c == '&' || c == '<' || c == '\r':
			return nil, false
		case c >= 0x80:
			r, size := utf8.DecodeRune(p.b[p.i:])
			if (r == utf8.RuneError && size == 1) || !isInCharacterRange(r) {
				return nil, false
			}
			p.i += size
			continue
		case c < 0x20 && c != '\t' && c != '\n':
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// charData reads text up to the next '<' with encoding/xml's rules: the five
// named entities and numeric references, CR LF and lone CR as LF, only XML
// characters, no "]]>".
func (p *fastXML) charData() tokKind {
	b := p.b
	end := len(b)
	if k := bytes.IndexByte(b[p.i:], '<'); k >= 0 {
		end = p.i + k
	}
	seg := b[p.i:end]
	p.i = end
	p.lastTextSpace = true
	if bytes.IndexByte(seg, ']') >= 0 && bytes.Contains(seg, []byte("]]>")) {
		return tokBail
	}
	plain := 0 // seg[:plain] needs no decoding
	for plain < len(seg) {
		c := seg[plain]
		if c < 0x20 || c >= 0x80 || c == '&' {
			break
		}
		if c != ' ' {
			p.lastTextSpace = false
		}
		plain++
	}
	if p.capture {
		p.arena = append(p.arena, seg[:plain]...)
	}
	prevCR := false
	for i := plain; i < len(seg); {
		c := seg[i]
		switch {
		case c == '&':
			r, n := entityAt(seg[i:])
			if n == 0 {
				return tokBail
			}
			p.lastTextSpace = false
			if p.capture {
				p.arena = utf8.AppendRune(p.arena, r)
			}
			i += n
			prevCR = false
			continue
		case c >= 0x80:
			r, size := utf8.DecodeRune(seg[i:])
			if (r == utf8.RuneError && size == 1) || !isInCharacterRange(r) {
				return tokBail
			}
			p.lastTextSpace = false
			if p.capture {
				p.arena = append(p.arena, seg[i:i+size]...)
			}
			i += size
			prevCR = false
			continue
		case c == '\r':
			if p.capture {
				p.arena = append(p.arena, '\n')
			}
		case c == '\n' && prevCR:
			// CR LF became one LF
		case c < 0x20 && c != '\t' && c != '\n':
			return tokBail
		default:
			if !isXMLSpace(c) {
				p.lastTextSpace = false
			}
			if p.capture {
				p.arena = append(p.arena, c)
			}
		}
		prevCR = c == '\r'
		i++
	}
	return tokText
}

// entityAt decodes a reference at the start of b ("&amp;", "&#38;",
// "&#x26;") to its rune and length; 0 when encoding/xml would refuse it or
// it is not one of these forms.
func entityAt(b []byte) (rune, int) {
	semi := bytes.IndexByte(b, ';')
	if semi < 2 || semi > 12 {
		return 0, 0
	}
	ref := b[1:semi]
	switch string(ref) {
	case "lt":
		return '<', semi + 1
	case "gt":
		return '>', semi + 1
	case "amp":
		return '&', semi + 1
	case "apos":
		return '\'', semi + 1
	case "quot":
		return '"', semi + 1
	}
	if ref[0] != '#' {
		return 0, 0
	}
	digits, base := ref[1:], rune(10)
	if len(digits) > 0 && digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, 0
	}
	var n rune
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, 0
		}
		n = n*base + d
	}
	if n > utf8.MaxRune {
		return 0, 0
	}
	if n >= 0xD800 && n <= 0xDFFF {
		n = utf8.RuneError // string(rune(n)) in encoding/xml
	}
	if !isInCharacterRange(n) {
		return 0, 0
	}
	return n, semi + 1
}

// isInCharacterRange is XML 1.0's Char production, as encoding/xml checks it.
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
