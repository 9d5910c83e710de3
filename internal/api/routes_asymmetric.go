package api

import "github.com/kmsd/kmsd/internal/op"

// asymmetricHandlers serves sign/verify, public keys, MACs, data key pairs,
// key agreement, import and PINs (docs/crypto-asymmetric.md).
func (s *Server) asymmetricHandlers() map[op.Name]binding {
	return map[op.Name]binding{
		op.Sign:                      bind(s.sign),
		op.Verify:                    bind(s.verify),
		op.GetPublicKey:              bind(s.getPublicKey),
		op.GenerateMAC:               bind(s.generateMAC),
		op.VerifyMAC:                 bind(s.verifyMAC),
		op.CreateRSADatakeyPair:      bind(s.createRSADataKeyPair),
		op.CreateECDatakeyPair:       bind(s.createECDataKeyPair),
		op.DeriveSharedSecret:        bind(s.deriveSharedSecret),
		op.GetParametersForImport:    bind(s.getParametersForImport),
		op.ImportKeyMaterial:         bind(s.importKeyMaterial),
		op.DeleteImportedKeyMaterial: bind(s.deleteImportedKeyMaterial),
		op.CreatePin:                 bind(s.createPin),
	}
}
