package api

import "github.com/kmsd/kmsd/internal/op"

// symmetricHandlers serves encrypt/decrypt, data keys, random and re-encrypt.
func (s *Server) symmetricHandlers() map[op.Name]handler {
	return map[op.Name]handler{
		op.EncryptData:                   s.encryptData,
		op.DecryptData:                   s.decryptData,
		op.CreateDatakey:                 s.createDatakey,
		op.CreateDatakeyWithoutPlaintext: s.createDatakeyWithoutPlaintext,
		op.EncryptDatakey:                s.encryptDatakey,
		op.DecryptDatakey:                s.decryptDatakey,
		op.GenRandom:                     s.genRandom,
		op.ReEncrypt:                     s.reEncrypt,
	}
}
