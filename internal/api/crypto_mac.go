package api

import (
	"encoding/hex"

	"github.com/kmsd/kmsd/internal/wire"
)

// generate-mac and verify-mac (crypto-api.md §2.12-§2.13).

func (s *Server) generateMAC(c *call, req *wire.MACReq) (wire.GenerateMACResp, error) {
	id, mac, err := s.Service.GenerateMAC(c.ctx, c.caller, req.KeyID, req.MacAlgorithm, req.MessageBytes())
	if err != nil {
		return wire.GenerateMACResp{}, err
	}
	return wire.GenerateMACResp{KeyID: id, Mac: hex.EncodeToString(mac), MacAlgorithm: req.MacAlgorithm}, nil
}

func (s *Server) verifyMAC(c *call, req *wire.VerifyMACReq) (wire.VerifyMACResp, error) {
	id, ok, err := s.Service.VerifyMAC(c.ctx, c.caller, req.KeyID, req.MacAlgorithm, req.MessageBytes(), req.MACBytes())
	if err != nil {
		return wire.VerifyMACResp{}, err
	}
	return wire.VerifyMACResp{KeyID: id, MacAlgorithm: req.MacAlgorithm, MacValid: ok}, nil
}
