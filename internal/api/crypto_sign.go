package api

import (
	"encoding/base64"
	"strconv"

	"github.com/kmsd/kmsd/internal/wire"
)

// sign, verify and get-publickey (crypto-api.md §2.9-§2.11).

func (s *Server) sign(c *call, req *wire.SignReq) (wire.SignResp, error) {
	id, sig, err := s.Service.Sign(c.ctx, c.caller, req.Input())
	if err != nil {
		return wire.SignResp{}, err
	}
	return wire.SignResp{KeyID: id, Signature: base64.StdEncoding.EncodeToString(sig)}, nil
}

func (s *Server) verify(c *call, req *wire.VerifyReq) (wire.VerifyResp, error) {
	id, ok, err := s.Service.Verify(c.ctx, c.caller, req.Input(), req.SignatureBytes())
	if err != nil {
		return wire.VerifyResp{}, err
	}
	return wire.VerifyResp{KeyID: id, SignatureValid: strconv.FormatBool(ok)}, nil
}

func (s *Server) getPublicKey(c *call, req *wire.KeyRefReq) (wire.PublicKeyResp, error) {
	id, pem, err := s.Service.PublicKey(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return wire.PublicKeyResp{}, err
	}
	return wire.PublicKeyResp{KeyID: id, PublicKey: pem}, nil
}
