package api

import "github.com/kmsd/kmsd/internal/op"

// asymmetricHandlers serves sign/verify, public keys, MACs, data key pairs,
// key agreement, import and PINs (docs/crypto-asymmetric.md).
func (s *Server) asymmetricHandlers() map[op.Name]handler {
	return map[op.Name]handler{
		op.Sign:                      s.sign,
		op.Verify:                    s.verify,
		op.GetPublicKey:              s.getPublicKey,
		op.GenerateMAC:               s.generateMAC,
		op.VerifyMAC:                 s.verifyMAC,
		op.CreateRSADatakeyPair:      s.createRSADataKeyPair,
		op.CreateECDatakeyPair:       s.createECDataKeyPair,
		op.DeriveSharedSecret:        s.deriveSharedSecret,
		op.GetParametersForImport:    s.getParametersForImport,
		op.ImportKeyMaterial:         s.importKeyMaterial,
		op.DeleteImportedKeyMaterial: s.deleteImportedKeyMaterial,
		op.CreatePin:                 s.createPin,
	}
}
