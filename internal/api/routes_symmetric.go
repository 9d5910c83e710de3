package api

import "github.com/kmsd/kmsd/internal/op"

// symmetricHandlers serves encrypt/decrypt, data keys, random and re-encrypt.
func (s *Server) symmetricHandlers() map[op.Name]binding {
	return map[op.Name]binding{
		op.EncryptData:                   bind(s.encryptData),
		op.DecryptData:                   bind(s.decryptData),
		op.CreateDatakey:                 bind(s.createDatakey),
		op.CreateDatakeyWithoutPlaintext: bind(s.createDatakeyWithoutPlaintext),
		op.EncryptDatakey:                bind(s.encryptDatakey),
		op.DecryptDatakey:                bind(s.decryptDatakey),
		op.GenRandom:                     bind(s.genRandom),
		op.ReEncrypt:                     bind(s.reEncrypt),
	}
}
