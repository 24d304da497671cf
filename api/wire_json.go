package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// ---- encoding: hand-written so keys keep WSDL order ----

type jsonBuf struct{ bytes.Buffer }

// str writes s as a JSON string.
func (w *jsonBuf) str(s string) {
	if jsonPlain(s) {
		w.WriteByte('"')
		w.WriteString(s)
		w.WriteByte('"')
		return
	}
	b, _ := json.Marshal(s) // cannot fail for a string; invalid UTF-8 becomes U+FFFD
	w.Write(b)
}

func jsonPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// key writes ,"name": (the comma unless first).
func (w *jsonBuf) key(name string, first bool) {
	if !first {
		w.WriteByte(',')
	}
	w.WriteByte('"')
	w.WriteString(name)
	w.WriteString(`":`)
}

func (w *jsonBuf) int(v int64) {
	var num [20]byte
	w.Write(strconv.AppendInt(num[:0], v, 10))
}

func encodeJSONRequest(req Request) []byte {
	w := &jsonBuf{}
	w.Grow(64 + 32*len(req.JobIDs))
	w.WriteString(`{"` + string(req.Op) + `":{`)
	if req.Op != OpCheckService {
		w.key("UserID", true)
		w.str(req.UserID)
		w.key("strPIN", false)
		w.str(req.PIN)
		if req.Op == OpSimpleGetFaxStatus {
			w.key("JobId", false)
			w.str(req.JobIDs[0])
		} else {
			w.key("FaxJobIds", false)
			w.WriteByte('[')
			for i, id := range req.JobIDs {
				if i > 0 {
					w.WriteByte(',')
				}
				w.WriteString(`{"JobId":`)
				w.str(id)
				w.WriteByte('}')
			}
			w.WriteByte(']')
		}
	}
	w.WriteString("}}")
	return w.Bytes()
}

func encodeJSONResponse(resp Response) []byte {
	w := &jsonBuf{}
	w.Grow(128 + 160*len(resp.Items))
	w.WriteString(`{"` + resp.Op.ResponseElement() + `":{`)
	w.key("return", true)
	switch resp.Op {
	case OpCheckService:
		w.str(resp.CheckValue)
	case OpSimpleGetFaxStatus:
		w.int(resp.SimpleValue)
	default:
		w.WriteString(strconv.FormatBool(resp.Return))
		w.key("FaxStatusList", false)
		w.WriteByte('[')
		for i := range resp.Items {
			if i > 0 {
				w.WriteByte(',')
			}
			writeJSONItem(w, resp.Op, &resp.Items[i])
		}
		w.WriteByte(']')
		w.key("WSError", false)
		writeJSONWSError(w, resp.WSError)
	}
	w.WriteString("}}")
	return w.Bytes()
}

func writeJSONItem(w *jsonBuf, op Operation, it *WireItem) {
	w.WriteByte('{')
	w.key("FaxJobId", true)
	w.str(it.FaxJobID)
	w.key("FaxJobStatusId", false)
	w.int(int64(it.StatusID))
	w.key("StatusDescription", false)
	w.str(it.Description)
	if op.hasPages() {
		w.key("RecipientState", false)
		w.int(int64(it.RecipientState))
		w.key("RecipientCurrentPageCount", false)
		w.int(int64(it.PagesSent))
		w.key("RecipientTotalPageCount", false)
		w.int(int64(it.PagesTotal))
	}
	if op.hasDelivery() {
		w.key("FaxDeliveryDateTime", false)
		w.str(it.DeliveredAt)
		w.key("FaxDeliveryDuration", false)
		w.int(int64(it.DurationS))
		w.key("RemoteFaxCSID", false)
		w.str(it.RemoteCSID)
	}
	if op.hasReference() {
		w.key("ReferenceId", false)
		w.str(it.ReferenceID)
	}
	w.key("Error", false)
	writeJSONWSError(w, it.Error)
	w.WriteByte('}')
}

func writeJSONWSError(w *jsonBuf, e WSError) {
	w.WriteString(`{"ErrorCode":`)
	w.int(int64(e.Code))
	w.WriteString(`,"ErrorString":`)
	w.str(e.Message)
	w.WriteByte('}')
}

func encodeJSONFault(f Fault) []byte {
	w := &jsonBuf{}
	w.WriteString(`{"Fault":{"faultcode":`)
	w.str(faultCodeFor(FormatSOAP11, f.Code))
	w.WriteString(`,"faultstring":`)
	w.str(f.Reason)
	w.WriteString("}}")
	return w.Bytes()
}

// ---- decoding: tolerant of every shape the README's "API client" section
// lists: either wrapper name, plain arrays or {"item": …}, numbers or
// numeric strings ----

// flexInt accepts a number or a numeric string; null is 0.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*n = 0
		return nil
	}
	if len(s) >= 2 && s[0] == '"' {
		u, err := strconv.Unquote(s)
		if err != nil {
			return errNotNumber
		}
		s = strings.TrimSpace(u)
		if s == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) {
			return errNotNumber
		}
		v = int64(f)
	}
	*n = flexInt(v)
	return nil
}

var errNotNumber = errors.New("not a number")

// int32 narrows to the xsd:int range the WSDL declares.
func (n flexInt) int32(name string) (int, error) {
	if n < -1<<31 || n > 1<<31-1 {
		return 0, badField(name, strconv.FormatInt(int64(n), 10))
	}
	return int(n), nil
}

// flexBool accepts true/false, "true"/"false" and 1/0 in either form.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.ToLower(string(b)), `"`)
	switch strings.TrimSpace(s) {
	case "true", "1":
		*v = true
	case "false", "0", "null":
		*v = false
	default:
		return errors.New("not a boolean")
	}
	return nil
}

// flexList accepts a plain array, {"item": [...]}, {"item": {...}} or null.
type flexList[T any] []T

func (l *flexList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*l = nil
		return nil
	}
	if b[0] == '[' {
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*l = items
		return nil
	}
	var wrap struct {
		Item json.RawMessage `json:"item"`
	}
	if err := json.Unmarshal(b, &wrap); err != nil {
		return err
	}
	item := bytes.TrimSpace(wrap.Item)
	switch {
	case len(item) == 0 || string(item) == "null":
		*l = nil
		return nil
	case item[0] == '[':
		var items []T
		if err := json.Unmarshal(item, &items); err != nil {
			return err
		}
		*l = items
		return nil
	}
	var one T
	if err := json.Unmarshal(item, &one); err != nil {
		return err
	}
	*l = []T{one}
	return nil
}

type jsonWSError struct {
	ErrorCode   flexInt `json:"ErrorCode"`
	ErrorString string  `json:"ErrorString"`
}

func (e jsonWSError) decode() (WSError, error) {
	code, err := e.ErrorCode.int32("ErrorCode")
	return WSError{Code: code, Message: e.ErrorString}, err
}

// jsonItem keeps its numbers raw, so that one bad item is reported by
// field name and costs only its own job.
type jsonItem struct {
	FaxJobID       string          `json:"FaxJobId"`
	StatusID       json.RawMessage `json:"FaxJobStatusId"`
	Description    string          `json:"StatusDescription"`
	RecipientState json.RawMessage `json:"RecipientState"`
	PagesSent      json.RawMessage `json:"RecipientCurrentPageCount"`
	PagesTotal     json.RawMessage `json:"RecipientTotalPageCount"`
	DeliveredAt    string          `json:"FaxDeliveryDateTime"`
	DurationS      json.RawMessage `json:"FaxDeliveryDuration"`
	RemoteCSID     string          `json:"RemoteFaxCSID"`
	ReferenceID    string          `json:"ReferenceId"`
	Error          struct {
		ErrorCode   json.RawMessage `json:"ErrorCode"`
		ErrorString string          `json:"ErrorString"`
	} `json:"Error"`
}

// decodeJSONItem converts one raw item; see xmlItem.decode.
func decodeJSONItem(raw json.RawMessage) WireItem {
	var x jsonItem
	if err := json.Unmarshal(raw, &x); err != nil {
		var id struct {
			FaxJobID string `json:"FaxJobId"`
		}
		_ = json.Unmarshal(raw, &id)
		return unusableItem(id.FaxJobID, problemOf(jsonError(err)))
	}
	it := WireItem{
		FaxJobID: x.FaxJobID, Description: x.Description, DeliveredAt: x.DeliveredAt,
		RemoteCSID: x.RemoteCSID, ReferenceID: x.ReferenceID, Error: WSError{Message: x.Error.ErrorString},
	}
	var err error
	set := func(name string, raw json.RawMessage, dst *int) {
		if err != nil || len(raw) == 0 {
			return
		}
		var v flexInt
		if v.UnmarshalJSON(raw) != nil {
			shown := string(raw)
			_ = json.Unmarshal(raw, &shown) // a string is named without its quotes
			err = badField(name, shown)
			return
		}
		*dst, err = v.int32(name)
	}
	set("FaxJobStatusId", x.StatusID, &it.StatusID)
	set("RecipientState", x.RecipientState, &it.RecipientState)
	set("RecipientCurrentPageCount", x.PagesSent, &it.PagesSent)
	set("RecipientTotalPageCount", x.PagesTotal, &it.PagesTotal)
	set("FaxDeliveryDuration", x.DurationS, &it.DurationS)
	set("ErrorCode", x.Error.ErrorCode, &it.Error.Code)
	if err != nil {
		return unusableItem(x.FaxJobID, problemOf(err))
	}
	return checkItem(it)
}

type jsonResponse struct {
	Return        json.RawMessage           `json:"return"`
	FaxStatusList flexList[json.RawMessage] `json:"FaxStatusList"`
	WSError       jsonWSError               `json:"WSError"`
}

type jsonFault struct {
	FaultCode   string          `json:"faultcode"`
	FaultString string          `json:"faultstring"`
	Code        json.RawMessage `json:"Code"`
	Reason      json.RawMessage `json:"Reason"`
}

// jsonText digs a string out of "x", {"Value": x}, {"Text": x} or [x, ...].
func jsonText(raw json.RawMessage, depth int) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > 3 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	case '[':
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
			return jsonText(list[0], depth+1)
		}
	case '{':
		var obj struct {
			Value json.RawMessage `json:"Value"`
			Text  json.RawMessage `json:"Text"`
		}
		if json.Unmarshal(raw, &obj) == nil {
			if s := jsonText(obj.Value, depth+1); s != "" {
				return s
			}
			return jsonText(obj.Text, depth+1)
		}
	}
	return ""
}

// jsonTop decodes one JSON object and refuses trailing data.
func jsonTop(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &ProtocolError{Kind: KindMalformed, Detail: "data after the JSON answer"}
	}
	if top == nil {
		return nil, &ProtocolError{Kind: KindMalformed, Detail: "the JSON answer is null"}
	}
	return top, nil
}

func jsonError(err error) error {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &ProtocolError{Kind: KindTruncated}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &ProtocolError{Kind: KindMalformed, Detail: clip(Sanitize(te.Field), 60) + " has the wrong type (" + te.Value + ")"}
	}
	return &ProtocolError{Kind: KindMalformed, Detail: clip(Sanitize(err.Error()), maxSnippet)}
}

// lookup finds a key case-insensitively, preferring an exact match.
func lookup(top map[string]json.RawMessage, names ...string) (json.RawMessage, bool) {
	for _, n := range names {
		if v, ok := top[n]; ok {
			return v, true
		}
	}
	for k, v := range top {
		for _, n := range names {
			if strings.EqualFold(k, n) {
				return v, true
			}
		}
	}
	return nil, false
}

func decodeJSONResponse(op Operation, body []byte) (Response, error) {
	top, err := jsonTop(body)
	if err != nil {
		return Response{}, err
	}
	if raw, ok := lookup(top, "Fault"); ok {
		var f jsonFault
		if err := json.Unmarshal(raw, &f); err != nil {
			return Response{}, jsonError(err)
		}
		if f.FaultCode != "" || f.FaultString != "" {
			return Response{}, newSOAPFault("json", f.FaultCode, f.FaultString)
		}
		return Response{}, newSOAPFault("json", jsonText(f.Code, 0), jsonText(f.Reason, 0))
	}
	raw, ok := lookup(top, op.ResponseElement(), string(op)+"Response")
	if !ok {
		if _, bare := lookup(top, "return"); !bare {
			return Response{}, &ProtocolError{Kind: KindUnexpected, Detail: "the JSON answer has no " + op.ResponseElement()}
		}
		raw = body // an unwrapped answer
	}
	var x jsonResponse
	if err := json.Unmarshal(raw, &x); err != nil {
		return Response{}, jsonError(err)
	}
	if len(bytes.TrimSpace(x.Return)) == 0 {
		return Response{}, &ProtocolError{Kind: KindMalformed, Detail: "the answer has no return element"}
	}
	resp := Response{Op: op}
	switch op {
	case OpCheckService:
		if err := json.Unmarshal(x.Return, &resp.CheckValue); err != nil {
			return Response{}, badField("return", string(x.Return))
		}
	case OpSimpleGetFaxStatus:
		var v flexInt
		if err := v.UnmarshalJSON(x.Return); err != nil {
			return Response{}, badField("return", string(x.Return))
		}
		resp.SimpleValue = int64(v)
	default:
		var ok flexBool
		if err := ok.UnmarshalJSON(x.Return); err != nil {
			return Response{}, badField("return", string(x.Return))
		}
		resp.Return = bool(ok)
		if resp.WSError, err = x.WSError.decode(); err != nil {
			return Response{}, err
		}
		resp.Items = make([]WireItem, 0, len(x.FaxStatusList))
		for _, raw := range x.FaxStatusList {
			resp.Items = append(resp.Items, decodeJSONItem(raw))
		}
	}
	return resp, nil
}

// jsonJobID accepts {"JobId": "…"} or a bare string.
type jsonJobID string

func (j *jsonJobID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*j = jsonJobID(s)
		return err
	}
	var obj struct {
		JobID string `json:"JobId"`
	}
	err := json.Unmarshal(b, &obj)
	*j = jsonJobID(obj.JobID)
	return err
}

type jsonRequest struct {
	UserID    string              `json:"UserID"`
	PIN       string              `json:"strPIN"`
	FaxJobIDs flexList[jsonJobID] `json:"FaxJobIds"`
	JobID     string              `json:"JobId"`
}

func decodeJSONRequest(body []byte) (Request, error) {
	top, err := jsonTop(bytes.TrimSpace(body))
	if err != nil {
		return Request{}, err
	}
	if len(top) != 1 {
		return Request{}, &ProtocolError{Kind: KindUnexpected, Detail: "a JSON request has exactly one operation key"}
	}
	var name string
	var raw json.RawMessage
	for name, raw = range top {
	}
	op := Operation(name)
	if !op.Valid() {
		return Request{}, &ProtocolError{Kind: KindUnexpected, Detail: "unknown operation " + clip(Sanitize(name), 60)}
	}
	var x jsonRequest
	if err := json.Unmarshal(raw, &x); err != nil {
		return Request{}, jsonError(err)
	}
	req := Request{Op: op, UserID: x.UserID, PIN: x.PIN}
	switch {
	case op == OpSimpleGetFaxStatus:
		req.JobIDs = []string{x.JobID}
	case op.IsStatusList():
		req.JobIDs = make([]string, 0, len(x.FaxJobIDs))
		for _, id := range x.FaxJobIDs {
			req.JobIDs = append(req.JobIDs, string(id))
		}
	}
	return req, nil
}
