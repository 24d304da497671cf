package sim

// This file checks what the simulator serves against the vendor's WSDL
// schema, independently of api's types and decoder: the schema is read from
// the embedded WSDL with encoding/xml, answers are walked token by token.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

const (
	nsXSD   = "http://www.w3.org/2001/XMLSchema"
	nsWSDL  = "http://schemas.xmlsoap.org/wsdl/"
	nsFaxWS = "urn:FaxWS"
)

type xsdElement struct {
	Name      string      `xml:"name,attr"`
	Type      string      `xml:"type,attr"`
	MinOccurs string      `xml:"minOccurs,attr"`
	MaxOccurs string      `xml:"maxOccurs,attr"`
	Complex   *xsdComplex `xml:"http://www.w3.org/2001/XMLSchema complexType"`
}

type xsdComplex struct {
	Name     string       `xml:"name,attr"`
	Sequence []xsdElement `xml:"http://www.w3.org/2001/XMLSchema sequence>element"`
}

type xsdSchema struct {
	Target   string       `xml:"targetNamespace,attr"`
	Complex  []xsdComplex `xml:"http://www.w3.org/2001/XMLSchema complexType"`
	Elements []xsdElement `xml:"http://www.w3.org/2001/XMLSchema element"`
}

type wsdlDoc struct {
	Types struct {
		Schema xsdSchema `xml:"http://www.w3.org/2001/XMLSchema schema"`
	} `xml:"http://schemas.xmlsoap.org/wsdl/ types"`
}

// reporter is the part of testing.T the schema checks use, so a test can
// show that they catch bad documents.
type reporter interface {
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// schema indexes the WSDL's types by name.
type schema struct {
	types    map[string]xsdComplex
	elements map[string]xsdElement
}

func loadSchema(t *testing.T) schema {
	t.Helper()
	var doc wsdlDoc
	if err := xml.Unmarshal(faxWSDL, &doc); err != nil {
		t.Fatalf("parse WSDL: %v", err)
	}
	if doc.Types.Schema.Target != nsFaxWS {
		t.Fatalf("schema targetNamespace %q", doc.Types.Schema.Target)
	}
	sc := schema{types: map[string]xsdComplex{}, elements: map[string]xsdElement{}}
	for _, c := range doc.Types.Schema.Complex {
		sc.types[c.Name] = c
	}
	for _, e := range doc.Types.Schema.Elements {
		sc.elements[e.Name] = e
	}
	return sc
}

// sequence is the ordered child declarations of decl's type, or nil for a
// simple type.
func (sc schema) sequence(t reporter, decl xsdElement) []xsdElement {
	if decl.Complex != nil {
		return decl.Complex.Sequence
	}
	if name, ok := strings.CutPrefix(decl.Type, "FaxWS:"); ok {
		c, ok := sc.types[name]
		if !ok {
			t.Fatalf("type %s not in the schema", decl.Type)
		}
		return c.Sequence
	}
	return nil
}

func TestSchemaHasTheStatusTypes(t *testing.T) {
	sc := loadSchema(t)
	want := map[string]string{
		"FaxStatus":            "FaxJobId FaxJobStatusId StatusDescription Error",
		"RealTimeFaxStatus":    "FaxJobId FaxJobStatusId StatusDescription RecipientState RecipientCurrentPageCount RecipientTotalPageCount Error",
		"RealTimeFaxStatusEx":  "FaxJobId FaxJobStatusId StatusDescription RecipientState RecipientCurrentPageCount RecipientTotalPageCount FaxDeliveryDateTime FaxDeliveryDuration RemoteFaxCSID Error",
		"RealTimeFaxStatusEx2": "FaxJobId FaxJobStatusId StatusDescription RecipientState RecipientCurrentPageCount RecipientTotalPageCount FaxDeliveryDateTime FaxDeliveryDuration RemoteFaxCSID ReferenceId Error",
		"WSError":              "ErrorCode ErrorString",
	}
	for name, seq := range want {
		var got []string
		for _, e := range sc.types[name].Sequence {
			got = append(got, e.Name)
		}
		if strings.Join(got, " ") != seq {
			t.Errorf("%s: schema sequence %v", name, got)
		}
	}
	for _, name := range []string{"FaxStatusResponse", "RealTimeFaxStatusResponse", "RealTimeFaxStatusExResponse", "RealTimeFaxStatusEx2Response", "SimpleFaxStatusResponse", "CheckServiceResponse"} {
		if _, ok := sc.elements[name]; !ok {
			t.Errorf("response element %s missing from the schema", name)
		}
	}
}

// node is a generic XML element: namespace, local name, text, children.
type node struct {
	name     xml.Name
	text     string
	children []*node
}

func parseTree(t *testing.T, body []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("answer is not well-formed XML: %v\n%s", err, body)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name}
			if len(stack) == 0 {
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tk)
			}
		}
	}
	return root
}

// checkXML asserts n matches decl: urn:FaxWS, the declared name, children in
// sequence order with their occurrence bounds, simple values of their type.
func (sc schema) checkXML(t reporter, path string, n *node, decl xsdElement) {
	path += "/" + decl.Name
	if n.name.Space != nsFaxWS || n.name.Local != decl.Name {
		t.Errorf("%s: got {%s}%s", path, n.name.Space, n.name.Local)
		return
	}
	seq := sc.sequence(t, decl)
	if seq == nil {
		if len(n.children) > 0 {
			t.Errorf("%s: simple type %s has child elements", path, decl.Type)
		}
		checkSimple(t, path, decl.Type, strings.TrimSpace(n.text))
		return
	}
	i := 0
	for _, child := range seq {
		count := 0
		for i < len(n.children) && n.children[i].name.Local == child.Name {
			sc.checkXML(t, path, n.children[i], child)
			i++
			count++
		}
		if count < occurs(child.MinOccurs, 1) || (child.MaxOccurs != "unbounded" && count > occurs(child.MaxOccurs, 1)) {
			t.Errorf("%s: %d × %s, schema says %s..%s", path, count, child.Name, child.MinOccurs, child.MaxOccurs)
		}
	}
	for ; i < len(n.children); i++ {
		t.Errorf("%s: %s out of schema order or not in the schema", path, n.children[i].name.Local)
	}
}

func occurs(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func checkSimple(t reporter, path, typ, v string) {
	var err error
	switch typ {
	case "xsd:int":
		_, err = strconv.ParseInt(v, 10, 32)
	case "xsd:long":
		_, err = strconv.ParseInt(v, 10, 64)
	case "xsd:boolean":
		if v != "true" && v != "false" && v != "1" && v != "0" {
			err = fmt.Errorf("not a boolean")
		}
	case "xsd:string":
	default:
		err = fmt.Errorf("type not handled by this test")
	}
	if err != nil {
		t.Errorf("%s: %q is not %s: %v", path, v, typ, err)
	}
}

// Hand-written requests, as a third-party SOAP client would send them.
func xmlRequest(envNS, op, user, pin string, ids []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><env:Envelope xmlns:env="%s" xmlns:urn="urn:FaxWS"><env:Header/><env:Body>`, envNS)
	switch op {
	case "CheckService":
		b.WriteString("<urn:CheckService/>")
	case "SimpleGetFaxStatus":
		fmt.Fprintf(&b, "<urn:SimpleGetFaxStatus><urn:UserID>%s</urn:UserID><urn:strPIN>%s</urn:strPIN><urn:JobId>%s</urn:JobId></urn:SimpleGetFaxStatus>", user, pin, ids[0])
	default:
		fmt.Fprintf(&b, "<urn:%s><urn:UserID>%s</urn:UserID><urn:strPIN>%s</urn:strPIN><urn:FaxJobIds>", op, user, pin)
		for _, id := range ids {
			fmt.Fprintf(&b, "<urn:item><urn:JobId>%s</urn:JobId></urn:item>", id)
		}
		fmt.Fprintf(&b, "</urn:FaxJobIds></urn:%s>", op)
	}
	b.WriteString("</env:Body></env:Envelope>")
	return b.String()
}

func jsonRequest(op, user, pin string, ids []string) string {
	switch op {
	case "CheckService":
		return `{"CheckService":{}}`
	case "SimpleGetFaxStatus":
		return fmt.Sprintf(`{"SimpleGetFaxStatus":{"UserID":%q,"strPIN":%q,"JobId":%q}}`, user, pin, ids[0])
	}
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"JobId":%q}`, id)
	}
	return fmt.Sprintf(`{%q:{"UserID":%q,"strPIN":%q,"FaxJobIds":[%s]}}`, op, user, pin, strings.Join(items, ","))
}

var wsdlOps = map[string]string{
	"GetFaxStatus":            "FaxStatusResponse",
	"GetRealTimeFaxStatus":    "RealTimeFaxStatusResponse",
	"GetRealTimeFaxStatusEx":  "RealTimeFaxStatusExResponse",
	"GetRealTimeFaxStatusEx2": "RealTimeFaxStatusEx2Response",
	"SimpleGetFaxStatus":      "SimpleFaxStatusResponse",
	"CheckService":            "CheckServiceResponse",
}

func TestSOAPAnswersMatchTheWSDL(t *testing.T) {
	sc := loadSchema(t)
	s, _ := newSim(t, Options{Seed: 11})
	c := s.Credentials()
	ids := idStrings(s.DemoWatchlist())
	for _, env := range []struct{ name, ns, contentType string }{{"soap11", env11, "text/xml; charset=utf-8"}, {"soap12", env12, "application/soap+xml; charset=utf-8"}} {
		for op, respName := range wsdlOps {
			for _, pin := range []string{c.PIN, "wrong"} {
				t.Run(fmt.Sprintf("%s/%s/right-pin=%v", env.name, op, pin == c.PIN), func(t *testing.T) {
					w := post(t, s, env.contentType, []byte(xmlRequest(env.ns, op, c.UserID, pin, ids)), nil)
					if w.Code != http.StatusOK {
						t.Fatalf("HTTP %d: %s", w.Code, w.Body.String())
					}
					root := parseTree(t, w.Body.Bytes())
					if root.name != (xml.Name{Space: env.ns, Local: "Envelope"}) {
						t.Fatalf("root %v", root.name)
					}
					var body *node
					for _, ch := range root.children {
						if ch.name == (xml.Name{Space: env.ns, Local: "Body"}) {
							body = ch
						}
					}
					if body == nil || len(body.children) != 1 {
						t.Fatalf("Body missing or not one child")
					}
					sc.checkXML(t, "", body.children[0], sc.elements[respName])
					if op != "CheckService" && op != "SimpleGetFaxStatus" && pin == c.PIN {
						if n := len(body.children[0].children[1].children); n != len(ids) {
							t.Errorf("%d items for %d ids", n, len(ids))
						}
					}
				})
			}
		}
	}
}

// jsonValue is a JSON value with object keys kept in order.
type jsonValue struct {
	keys   []string
	fields []*jsonValue
	items  []*jsonValue
	scalar any
	kind   byte // 'o' object, 'a' array, 's' scalar
}

func parseJSON(t *testing.T, d *json.Decoder) *jsonValue {
	t.Helper()
	tok, err := d.Token()
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	switch tk := tok.(type) {
	case json.Delim:
		if tk == '{' {
			v := &jsonValue{kind: 'o'}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					t.Fatalf("JSON key: %v", err)
				}
				v.keys = append(v.keys, k.(string))
				v.fields = append(v.fields, parseJSON(t, d))
			}
			_, _ = d.Token()
			return v
		}
		v := &jsonValue{kind: 'a'}
		for d.More() {
			v.items = append(v.items, parseJSON(t, d))
		}
		_, _ = d.Token()
		return v
	}
	return &jsonValue{kind: 's', scalar: tok}
}

// checkJSON asserts v matches decl: an object's keys are the sequence's
// names in order; a list type (one unbounded "item") is a plain array.
func (sc schema) checkJSON(t reporter, path string, v *jsonValue, decl xsdElement) {
	path += "/" + decl.Name
	seq := sc.sequence(t, decl)
	switch {
	case seq == nil:
		if v.kind != 's' {
			t.Errorf("%s: want a scalar", path)
			return
		}
		switch decl.Type {
		case "xsd:int", "xsd:long":
			n, ok := v.scalar.(json.Number)
			if _, err := n.Int64(); !ok || err != nil {
				t.Errorf("%s: %v is not an integer", path, v.scalar)
			}
		case "xsd:boolean":
			if _, ok := v.scalar.(bool); !ok {
				t.Errorf("%s: %v is not a boolean", path, v.scalar)
			}
		case "xsd:string":
			if _, ok := v.scalar.(string); !ok {
				t.Errorf("%s: %v is not a string", path, v.scalar)
			}
		}
	case len(seq) == 1 && seq[0].Name == "item" && seq[0].MaxOccurs == "unbounded":
		if v.kind != 'a' {
			t.Errorf("%s: want a plain array", path)
			return
		}
		for _, it := range v.items {
			sc.checkJSON(t, path, it, seq[0])
		}
	default:
		if v.kind != 'o' {
			t.Errorf("%s: want an object", path)
			return
		}
		var want []string
		for _, e := range seq {
			want = append(want, e.Name)
		}
		if strings.Join(v.keys, " ") != strings.Join(want, " ") {
			t.Errorf("%s: keys %v, schema order %v", path, v.keys, want)
			return
		}
		for i, e := range seq {
			sc.checkJSON(t, path, v.fields[i], e)
		}
	}
}

func TestJSONAnswersMatchTheWSDL(t *testing.T) {
	sc := loadSchema(t)
	s, _ := newSim(t, Options{Seed: 11})
	c := s.Credentials()
	ids := idStrings(s.DemoWatchlist())
	for op, respName := range wsdlOps {
		for _, pin := range []string{c.PIN, "wrong"} {
			t.Run(fmt.Sprintf("%s/right-pin=%v", op, pin == c.PIN), func(t *testing.T) {
				w := post(t, s, "application/json", []byte(jsonRequest(op, c.UserID, pin, ids)), nil)
				if w.Code != http.StatusOK {
					t.Fatalf("HTTP %d: %s", w.Code, w.Body.String())
				}
				d := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
				d.UseNumber()
				top := parseJSON(t, d)
				if top.kind != 'o' || len(top.keys) != 1 || top.keys[0] != respName {
					t.Fatalf("top-level keys %v, want [%s]", top.keys, respName)
				}
				sc.checkJSON(t, "", top.fields[0], sc.elements[respName])
				if op != "CheckService" && op != "SimpleGetFaxStatus" && pin == c.PIN {
					if n := len(top.fields[0].fields[1].items); n != len(ids) {
						t.Errorf("%d items for %d ids", n, len(ids))
					}
				}
			})
		}
	}
}

// countErrors records how many problems a check found.
type countErrors struct{ n int }

func (c *countErrors) Errorf(string, ...any) { c.n++ }
func (c *countErrors) Fatalf(string, ...any) { c.n++ }

// The checks must fail on answers that break the schema, or the tests above
// prove nothing.
func TestSchemaChecksCatchBadAnswers(t *testing.T) {
	sc := loadSchema(t)
	item := func(inner string) string {
		return `<r:FaxStatusResponse xmlns:r="urn:FaxWS"><r:return>true</r:return><r:FaxStatusList><r:item>` + inner +
			`</r:item></r:FaxStatusList><r:WSError><r:ErrorCode>0</r:ErrorCode><r:ErrorString/></r:WSError></r:FaxStatusResponse>`
	}
	good := `<r:FaxJobId>br1</r:FaxJobId><r:FaxJobStatusId>1</r:FaxJobStatusId><r:StatusDescription/><r:Error><r:ErrorCode>0</r:ErrorCode><r:ErrorString/></r:Error>`
	xmlCases := map[string]string{
		"good":          item(good),
		"order":         item(`<r:FaxJobStatusId>1</r:FaxJobStatusId><r:FaxJobId>br1</r:FaxJobId><r:StatusDescription/><r:Error><r:ErrorCode>0</r:ErrorCode><r:ErrorString/></r:Error>`),
		"missing":       item(`<r:FaxJobId>br1</r:FaxJobId><r:FaxJobStatusId>1</r:FaxJobStatusId><r:Error><r:ErrorCode>0</r:ErrorCode><r:ErrorString/></r:Error>`),
		"extra":         item(good + `<r:Bonus/>`),
		"type":          item(strings.Replace(good, ">1<", ">one<", 1)),
		"namespace":     item(strings.Replace(good, "<r:FaxJobId>br1</r:FaxJobId>", `<FaxJobId xmlns="urn:Other">br1</FaxJobId>`, 1)),
		"RealTime item": item(good + "<r:RecipientState>0</r:RecipientState>"),
	}
	for name, doc := range xmlCases {
		var c countErrors
		sc.checkXML(&c, "", parseTree(t, []byte(doc)), sc.elements["FaxStatusResponse"])
		if (name == "good") != (c.n == 0) {
			t.Errorf("XML %s: %d problems found", name, c.n)
		}
	}
	jsonCases := map[string]string{
		"good":   `{"return":true,"FaxStatusList":[],"WSError":{"ErrorCode":0,"ErrorString":""}}`,
		"order":  `{"FaxStatusList":[],"return":true,"WSError":{"ErrorCode":0,"ErrorString":""}}`,
		"type":   `{"return":"yes","FaxStatusList":[],"WSError":{"ErrorCode":0,"ErrorString":""}}`,
		"item":   `{"return":true,"FaxStatusList":{"item":[]},"WSError":{"ErrorCode":0,"ErrorString":""}}`,
		"intstr": `{"return":true,"FaxStatusList":[],"WSError":{"ErrorCode":"0","ErrorString":""}}`,
	}
	for name, doc := range jsonCases {
		d := json.NewDecoder(strings.NewReader(doc))
		d.UseNumber()
		var c countErrors
		sc.checkJSON(&c, "", parseJSON(t, d), sc.elements["FaxStatusResponse"])
		if (name == "good") != (c.n == 0) {
			t.Errorf("JSON %s: %d problems found", name, c.n)
		}
	}
}
