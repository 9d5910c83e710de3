package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/wire"
)

// get-parameters-for-import, import-key-material and
// delete-imported-key-material (crypto-api.md §2.17-§2.19). Their audit
// records name the key once the operation succeeded.

func (s *Server) getParametersForImport(c *call, req *wire.ImportParamsReq) (wire.ImportParamsResp, error) {
	p, err := s.Service.GetImportParameters(c.ctx, c.caller, req.KeyID, req.WrappingAlgorithm)
	if err != nil {
		return wire.ImportParamsResp{}, err
	}
	b64 := base64.StdEncoding.EncodeToString
	return wire.ImportParamsResp{KeyID: p.KeyID, ImportToken: b64(p.Token), ExpirationTime: p.Expiry.Unix(), PublicKey: b64(p.PublicKey)}, nil
}

func (s *Server) importKeyMaterial(c *call, req *wire.ImportReq) (wire.Empty, error) {
	err := s.Service.ImportKeyMaterial(c.ctx, c.caller, req.Input())
	return wire.Empty{KeyID: req.KeyID}, err
}

func (s *Server) deleteImportedKeyMaterial(c *call, req *wire.DeleteMaterialReq) (wire.Empty, error) {
	err := s.Service.DeleteImportedMaterial(c.ctx, c.caller, req.KeyID)
	return wire.Empty{KeyID: req.KeyID}, err
}
