package api

import (
	"reflect"

	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/wire"
)

// The adapters below turn typed handler functions into handlers, so that a
// handler only translates between internal/wire types and the service:
//
//	func (s *Server) encryptData(c *call, req *wire.EncryptDataReq) (wire.EncryptDataResp, error)
//
// bind serves operations with a JSON body, bindURL those whose parameters
// are all in the URL, serve those without parameters. Each records the key
// for the audit event (wire.Keyed) and answers the operation's success
// status (op.Op.SuccessStatus) with the function's response, or its error.

// binding makes the handler of an operation from its catalogue entry, and
// names the request type the handler decodes (nil for serve).
type binding struct {
	req  reflect.Type
	make func(op.Op) handler
}

// bind serves fn for an operation with a JSON body: it reads the URL
// parameters first if Req has any (wire.URLRequest), then decodes the body
// into a fresh Req (see decode; strictly with Deps.Strict), validates it, and records the key it names,
// all before fn runs.
func bind[Req any, PReq interface {
	*Req
	wire.Request
}, Resp any](fn func(*call, PReq) (Resp, error)) binding {
	return binding{reflect.TypeFor[Req](), func(o op.Op) handler {
		status := o.SuccessStatus()
		params := paramsOf[Req]()
		return func(c *call) (int, any, error) {
			req := PReq(new(Req))
			if u, ok := any(req).(wire.URLRequest); ok {
				if err := fromURL(c, u); err != nil {
					return 0, nil, err
				}
			}
			if err := decode(c.body, req, c.strict); err != nil {
				return 0, nil, err
			}
			if err := req.Validate(); err != nil {
				return 0, nil, err
			}
			recordKey(c, req)
			recordParams(c, req, params)
			resp, err := fn(c, req)
			return respond(c, status, resp, err)
		}
	}}
}

// bindURL serves fn for an operation whose parameters are all in the URL:
// it reads and checks them into a fresh Req, and does not read the body.
func bindURL[Req any, PReq interface {
	*Req
	wire.URLRequest
}, Resp any](fn func(*call, PReq) (Resp, error)) binding {
	return binding{reflect.TypeFor[Req](), func(o op.Op) handler {
		status := o.SuccessStatus()
		params := paramsOf[Req]()
		return func(c *call) (int, any, error) {
			req := PReq(new(Req))
			if err := fromURL(c, req); err != nil {
				return 0, nil, err
			}
			recordParams(c, req, params)
			resp, err := fn(c, req)
			return respond(c, status, resp, err)
		}
	}}
}

// serve serves fn for an operation without parameters of its own, or
// whose few header or query parameters fn reads itself (the identity
// operations).
func serve[Resp any](fn func(*call) (Resp, error)) binding {
	return binding{nil, func(o op.Op) handler {
		status := o.SuccessStatus()
		return func(c *call) (int, any, error) {
			resp, err := fn(c)
			return respond(c, status, resp, err)
		}
	}}
}

// fromURL reads a request's URL parameters. The key they name is recorded
// even when they are invalid.
func fromURL(c *call, u wire.URLRequest) error {
	err := u.FromURL(c.r)
	recordKey(c, u)
	return err
}

// respond is the handler's result: fn's response with status, or its
// error. A response that names the key it resolved records it.
func respond[Resp any](c *call, status int, resp Resp, err error) (int, any, error) {
	if err != nil {
		return 0, nil, err
	}
	body := any(resp)
	recordKey(c, body)
	return status, body, nil
}

// recordKey sets the audit event's key to the key v names, if it names one.
func recordKey(c *call, v any) {
	if k, ok := v.(wire.Keyed); ok {
		if id := k.AuditKey(); id != "" {
			c.setKey(id)
		}
	}
}
