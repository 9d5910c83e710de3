package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/service"
	"github.com/kmsd/kmsd/internal/wire"
)

// encrypt-data and decrypt-data (crypto-api.md §2.1-§2.2).

func (s *Server) encryptData(c *call, req *wire.EncryptDataReq) (wire.EncryptDataResp, error) {
	out, err := s.Service.EncryptData(c.ctx, c.caller, service.EncryptInput{
		KeyRef: req.KeyID, Algorithm: req.EncryptionAlgorithm, Plaintext: []byte(*req.PlainText), AAD: req.MergedAAD(),
	})
	if err != nil {
		return wire.EncryptDataResp{}, err
	}
	return wire.EncryptDataResp{KeyID: out.KeyID, CipherText: base64.StdEncoding.EncodeToString(out.Blob)}, nil
}

func (s *Server) decryptData(c *call, req *wire.DecryptDataReq) (wire.DecryptDataResp, error) {
	out, err := s.Service.DecryptData(c.ctx, c.caller, service.DecryptInput{
		KeyRef: req.KeyID, Algorithm: req.EncryptionAlgorithm, Ciphertext: req.Blob(), AAD: req.MergedAAD(),
	})
	if err != nil {
		return wire.DecryptDataResp{}, err
	}
	defer clear(out.Data)
	return wire.DecryptDataResp{
		KeyID: out.KeyID, PlainText: string(out.Data), PlainTextBase64: base64.StdEncoding.EncodeToString(out.Data),
	}, nil
}
