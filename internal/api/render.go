package api

import (
	"encoding/json"
	"net/http"

	"github.com/kmsd/kmsd/internal/audit"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// errorBody is Huawei's error shape: {"error":{"error_code":…,"error_msg":…}},
// plus the Keystone fields code, title and message for errors with a Title.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// gatewayError is the body of Huawei's API gateway errors (APIGW.*): flat,
// with the request id, as the gateway answers before a request reaches KMS.
type gatewayError struct {
	Msg       string `json:"error_msg"`
	Code      string `json:"error_code"`
	RequestID string `json:"request_id"`
}

type errorDetail struct {
	Code         string `json:"error_code"`
	Msg          string `json:"error_msg"`
	KeystoneCode int    `json:"code,omitempty"`
	Title        string `json:"title,omitempty"`
	KeystoneMsg  string `json:"message,omitempty"`
}

// reply is a rendered response that is not written yet: the pipeline
// renders a request's outcome, records it, and only then writes it when the
// operation is audited first.
type reply struct {
	status     int
	body       []byte // JSON; nil for 204, which has no body
	retryAfter bool   // a 429: tell the client to retry in a second
}

// render renders a handler's result, or err when it is not nil, and notes
// the status and error code in ev.
func (s *Server) render(ev *audit.Event, status int, v any, err error) reply {
	if err != nil {
		return s.renderError(ev, err)
	}
	ev.Status = status
	return renderJSON(status, v)
}

// renderError renders err, the one place where errors become HTTP. API
// errors keep their status, code and message; anything else is logged and
// answered 500 KMS.0101 without its text.
func (s *Server) renderError(ev *audit.Event, err error) reply {
	e := kmserr.From(err)
	ev.Status, ev.Code = e.Status, e.Code
	ev.Reason = e.Msg
	switch {
	case e.Status >= 500:
		s.Logger.Warn("request failed", "request_id", ev.RequestID, "action", ev.Action,
			"status", e.Status, "code", e.Code, "error", err)
	case e.Cause != nil: // the trail has it too; the cause is for debugging
		s.Logger.Debug("request failed", "request_id", ev.RequestID, "action", ev.Action,
			"status", e.Status, "code", e.Code, "error", err)
	}
	var body any
	d := errorDetail{Code: e.Code, Msg: e.Msg}
	switch {
	case e.Title != "":
		d.KeystoneCode, d.Title, d.KeystoneMsg = e.Status, e.Title, e.Msg
		body = errorBody{d}
	case e.Gateway():
		body = gatewayError{Msg: e.Msg, Code: e.Code, RequestID: ev.RequestID}
	default:
		body = errorBody{d}
	}
	rp := renderJSON(e.Status, body)
	rp.retryAfter = e.Status == http.StatusTooManyRequests
	return rp
}

// renderJSON renders v as the response body. A nil v with status 204 has no
// body; a nil v otherwise renders "{}".
func renderJSON(status int, v any) reply {
	if status == http.StatusNoContent {
		return reply{status: status}
	}
	if v == nil {
		v = struct{}{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Response types are plain structs; failing here is a programming error.
		panic("api: marshal response: " + err.Error())
	}
	return reply{status: status, body: b}
}

// jsonContentType is the Content-Type of every JSON reply, shared by all of
// them (net/http only reads header values) to save an allocation per reply.
var jsonContentType = []string{"application/json;charset=UTF-8"}

// write writes the reply.
func (rp reply) write(w http.ResponseWriter) {
	if rp.retryAfter {
		w.Header().Set("Retry-After", "1")
	}
	if rp.body == nil {
		w.WriteHeader(rp.status)
		return
	}
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(rp.status)
	w.Write(rp.body)
}
