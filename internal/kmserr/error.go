// Package kmserr is kmsd's single API error type: a Huawei KMS error code and
// public message with the HTTP status they travel with, kept apart from the
// internal cause (which is logged, never sent).
//
// Every error the service layer returns to a client is an [*Error]; anything
// else reaching the HTTP layer is treated as an internal failure and answered
// with [Internal] (500, KMS.0101) without leaking its text.
package kmserr

import (
	"errors"
	"fmt"
	"strings"
)

// Error is an API error. Status and Code are public; Msg is the public
// message; Cause is internal only. Title, set on IAM errors that Huawei IAM
// documents in its Keystone shape, makes the body also carry that shape's
// code (the status), title and message.
type Error struct {
	Status int
	Code   string
	Msg    string
	Title  string
	Cause  error
}

// Error implements error. It includes the cause for logs.
func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Msg, e.Cause)
	}
	return e.Code + ": " + e.Msg
}

// Gateway reports whether e is an API gateway error (code "APIGW.…"),
// whose body is flat — {"error_msg","error_code","request_id"} — rather
// than KMS's {"error":{…}}.
func (e *Error) Gateway() bool { return strings.HasPrefix(e.Code, "APIGW.") }

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, kmserr.KeyNotFound) works for any message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Msgf returns a copy of e with a formatted public message.
func (e *Error) Msgf(format string, args ...any) *Error {
	c := *e
	c.Msg = fmt.Sprintf(format, args...)
	return &c
}

// Wrap returns a copy of e carrying an internal cause.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Cause = cause
	return &c
}

// From converts any error to an *Error: API errors pass through, anything
// else becomes Internal with err as its cause.
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal.Wrap(err)
}

func def(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Msg: msg}
}
