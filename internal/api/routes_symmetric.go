package api

import "net/http"

// symmetricRoutes declares encrypt/decrypt, data keys, random and re-encrypt.
func (s *Server) symmetricRoutes() []route {
	post := http.MethodPost
	return []route{
		kms(post, "encrypt-data", s.encryptData),
		kms(post, "decrypt-data", s.decryptData),
		kms(post, "create-datakey", s.createDatakey),
		kms(post, "create-datakey-without-plaintext", s.createDatakeyWithoutPlaintext),
		kms(post, "encrypt-datakey", s.encryptDatakey),
		kms(post, "decrypt-datakey", s.decryptDatakey),
		kms(post, "gen-random", s.genRandom),
		kms(post, "re-encrypt", s.reEncrypt),
	}
}
