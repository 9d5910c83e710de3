package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// create-rsa-datakey-pair and create-ec-datakey-pair (crypto-api.md
// §2.14-§2.15).

func (s *Server) createRSADataKeyPair(c *call, req *wire.RSAPairReq) (wire.PairResp, error) {
	return s.dataKeyPair(c, &req.PairFields, op.CreateRSADatakeyPair)
}

func (s *Server) createECDataKeyPair(c *call, req *wire.ECPairReq) (wire.PairResp, error) {
	return s.dataKeyPair(c, &req.PairFields, op.CreateECDatakeyPair)
}

// dataKeyPair makes the pair; keys and ciphertexts are standard base64.
func (s *Server) dataKeyPair(c *call, f *wire.PairFields, action op.Name) (wire.PairResp, error) {
	p, err := s.Service.CreateDataKeyPair(c.ctx, c.caller, service.DataKeyPairRequest{
		KeyRef: f.KeyID, Op: action, Spec: f.KeySpec, AAD: []byte(f.AdditionalAuthenticatedData),
		WithPlain: f.WithPlainText == nil || *f.WithPlainText,
	})
	if err != nil {
		return wire.PairResp{}, err
	}
	b64 := base64.StdEncoding.EncodeToString
	resp := wire.PairResp{KeyID: p.KeyID, KeySpec: f.KeySpec, PublicKey: b64(p.Public), PrivateKeyCipherText: b64(p.PrivateCipher)}
	if p.PrivatePlain != nil {
		resp.PrivateKeyPlainText = b64(p.PrivatePlain)
		clear(p.PrivatePlain)
	}
	return resp, nil
}
