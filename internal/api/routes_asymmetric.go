package api

import "net/http"

// asymmetricRoutes declares sign/verify, public keys, MACs, data key pairs,
// key agreement, import and PINs (docs/crypto-asymmetric.md).
func (s *Server) asymmetricRoutes() []route {
	post := http.MethodPost
	return []route{
		kms(post, "sign", s.sign),
		kms(post, "verify", s.verify),
		kms(post, "get-publickey", s.getPublicKey),
		kms(post, "generate-mac", s.generateMAC),
		kms(post, "verify-mac", s.verifyMAC),
		kms(post, "create-rsa-datakey-pair", s.createRSADataKeyPair),
		kms(post, "create-ec-datakey-pair", s.createECDataKeyPair),
		kms(post, "derive-shared-secret", s.deriveSharedSecret),
		kms(post, "get-parameters-for-import", s.getParametersForImport).writes(),
		kms(post, "import-key-material", s.importKeyMaterial).writes(),
		kms(post, "delete-imported-key-material", s.deleteImportedKeyMaterial).writes(),
		kms(post, "create-pin", s.createPin),
	}
}
