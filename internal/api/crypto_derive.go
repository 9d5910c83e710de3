package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// derive-shared-secret (crypto-api.md §2.16) and create-pin (§2.20).

func (s *Server) deriveSharedSecret(c *call, req *wire.DeriveReq) (wire.DeriveResp, error) {
	id, secret, err := s.Service.DeriveSharedSecret(c.ctx, c.caller, req.KeyID, req.Peer())
	if err != nil {
		return wire.DeriveResp{}, err
	}
	out := base64.StdEncoding.EncodeToString(secret)
	clear(secret)
	return wire.DeriveResp{KeyAgreementAlgorithm: "ECDH", KeyID: id, SharedSecret: out}, nil
}

func (s *Server) createPin(c *call, req *wire.PinReq) (wire.PinResp, error) {
	return wire.PinResp{Pin: service.NewPIN()}, nil
}
