package api

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/kmsd/kmsd/internal/wire"
)

// create-datakey, create-datakey-without-plaintext, encrypt-datakey,
// decrypt-datakey (crypto-api.md §2.3-§2.6). DEKs and envelopes travel as
// hex: either case in, upper case out.

func (s *Server) createDatakey(c *call, req *wire.CreateDatakeyReq) (wire.CreateDatakeyResp, error) {
	dk, err := s.Service.CreateDatakey(c.ctx, c.caller, req.KeyID, req.Size(), req.MergedAAD(), true)
	if err != nil {
		return wire.CreateDatakeyResp{}, err
	}
	defer clear(dk.Plaintext)
	return wire.CreateDatakeyResp{KeyID: dk.KeyID, PlainText: upperHex(dk.Plaintext), CipherText: upperHex(dk.Ciphertext)}, nil
}

func (s *Server) createDatakeyWithoutPlaintext(c *call, req *wire.CreateDatakeyNoPlainReq) (wire.DatakeyCipherResp, error) {
	dk, err := s.Service.CreateDatakey(c.ctx, c.caller, req.KeyID, req.Size(), req.MergedAAD(), false)
	if err != nil {
		return wire.DatakeyCipherResp{}, err
	}
	defer clear(dk.Plaintext)
	return wire.DatakeyCipherResp{KeyID: dk.KeyID, CipherText: upperHex(dk.Ciphertext)}, nil
}

func (s *Server) encryptDatakey(c *call, req *wire.EncryptDatakeyReq) (wire.EncryptDatakeyResp, error) {
	defer clear(req.DEK())
	dk, err := s.Service.EncryptDatakey(c.ctx, c.caller, req.KeyID, req.DEK(), req.Digest(), req.MergedAAD())
	if err != nil {
		return wire.EncryptDatakeyResp{}, err
	}
	return wire.EncryptDatakeyResp{KeyID: dk.KeyID, CipherText: upperHex(dk.Ciphertext), DatakeyLength: strconv.Itoa(len(req.DEK()))}, nil
}

func (s *Server) decryptDatakey(c *call, req *wire.DecryptDatakeyReq) (wire.DecryptDatakeyResp, error) {
	dk, err := s.Service.DecryptDatakey(c.ctx, c.caller, req.KeyID, req.Blob(), req.MergedAAD())
	if err != nil {
		return wire.DecryptDatakeyResp{}, err
	}
	defer clear(dk.Plaintext)
	return wire.DecryptDatakeyResp{
		DataKey: upperHex(dk.Plaintext), DatakeyLength: strconv.Itoa(len(dk.Plaintext)), DatakeyDgst: upperHex(dk.Digest),
		KeyID: dk.KeyID,
	}, nil
}

// upperHex encodes b as upper-case hex, as the service's responses do.
func upperHex(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
