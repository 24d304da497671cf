package api

import (
	"bytes"
	"mime"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/ianaindex"
)

// toUTF8 returns an XML body in UTF-8. The charset comes from the
// Content-Type, else from the XML declaration (the HTTP header wins, as RFC
// 7303 says); none means UTF-8. ISO-8859-1, windows-1252 and the other IANA
// charsets golang.org/x/text knows are converted; an unknown one is a
// *ProtocolError of KindCharset.
func toUTF8(contentType string, body []byte) ([]byte, error) {
	label := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = params["charset"]
	}
	if label == "" {
		label = declaredEncoding(body)
	}
	label = strings.TrimSpace(label)
	switch strings.ToLower(label) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return body, nil
	}
	enc, err := ianaindex.IANA.Encoding(label)
	if err != nil || enc == nil {
		return nil, &ProtocolError{Kind: KindCharset, Detail: strconv.Quote(clip(Sanitize(label), 40))}
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, &ProtocolError{Kind: KindCharset, Detail: strconv.Quote(clip(Sanitize(label), 40)) + " does not fit the bytes sent"}
	}
	return out, nil
}

// declaredEncoding reads encoding="…" from a leading <?xml …?> declaration.
func declaredEncoding(body []byte) string {
	if !bytes.HasPrefix(body, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(body, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := body[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	if j := bytes.IndexByte(rest[1:], q); j >= 0 {
		return string(rest[1 : 1+j])
	}
	return ""
}
