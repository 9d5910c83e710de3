package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/wire"
)

// re-encrypt (crypto-api.md §2.8) and gen-random (§2.7).

func (s *Server) reEncrypt(c *call, req *wire.ReEncryptReq) (wire.ReEncryptResp, error) {
	in := req.Input()
	out, err := s.Service.ReEncrypt(c.ctx, c.caller, in)
	if err != nil {
		return wire.ReEncryptResp{}, err
	}
	ct := base64.StdEncoding.EncodeToString(out.Dest.Blob)
	if in.DataKey {
		ct = upperHex(out.Dest.Blob)
	}
	return wire.ReEncryptResp{
		KeyID: out.Dest.KeyID, SourceKeyID: out.Source.KeyID, CipherText: ct,
		SourceEncryptionAlgorithm: out.Source.Algorithm, DestinationEncryptionAlgorithm: out.Dest.Algorithm,
	}, nil
}

func (s *Server) genRandom(c *call, req *wire.GenRandomReq) (wire.GenRandomResp, error) {
	b, err := s.Service.Random(req.Size())
	if err != nil {
		return wire.GenRandomResp{}, err
	}
	return wire.GenRandomResp{RandomData: upperHex(b)}, nil
}
