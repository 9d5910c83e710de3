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

type errorDetail struct {
	Code         string `json:"error_code"`
	Msg          string `json:"error_msg"`
	KeystoneCode int    `json:"code,omitempty"`
	Title        string `json:"title,omitempty"`
	KeystoneMsg  string `json:"message,omitempty"`
}

// writeError renders err, the one place where errors become HTTP. API errors
// keep their status, code and message; anything else is logged and answered
// 500 KMS.0101 without its text. It returns the status written.
func (s *Server) writeError(w http.ResponseWriter, ev *audit.Event, err error) int {
	e := kmserr.From(err)
	ev.Code = e.Code
	if e.Status >= 500 || e.Cause != nil {
		s.Logger.Warn("request failed", "request_id", ev.RequestID, "action", ev.Action,
			"status", e.Status, "code", e.Code, "error", err)
	}
	if e.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "1")
	}
	d := errorDetail{Code: e.Code, Msg: e.Msg}
	if e.Title != "" {
		d.KeystoneCode, d.Title, d.KeystoneMsg = e.Status, e.Title, e.Msg
	}
	writeJSON(w, e.Status, errorBody{d})
	return e.Status
}

// writeJSON writes v as the response body. A nil v with status 204 writes no
// body; a nil v otherwise writes "{}".
func writeJSON(w http.ResponseWriter, status int, v any) {
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	if v == nil {
		v = struct{}{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Response types are plain structs; failing here is a programming error.
		panic("api: marshal response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(b)
}
