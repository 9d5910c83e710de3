package api

import (
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// create-datakey, create-datakey-without-plaintext, encrypt-datakey,
// decrypt-datakey (crypto-api.md §2.3-§2.6). DEKs and envelopes travel as
// hex: either case in, upper case out.

// datakeySpecBytes is the DEK length of each create-datakey key_spec.
var datakeySpecBytes = map[string]int{
	"AES_256": 32, "AES_128": 16, "SM4": 16,
	"HMAC_256": 32, "HMAC_384": 48, "HMAC_512": 64, "HMAC_SM3": 32,
}

// levelFourFields are the PIN fields of level-4 deployments; kmsd has no
// PINs, so a non-empty pin is refused rather than silently ignored.
type levelFourFields struct {
	Pin     string `json:"pin"`
	PinType string `json:"pin_type"`
}

func (f *levelFourFields) validatePin() error {
	if f.Pin != "" {
		return kmserr.InvalidParameter.Msgf("pin is not supported: kmsd has no level-4 PIN protection.")
	}
	if f.PinType != "" && f.PinType != "CipherText" && f.PinType != "PlainText" {
		return kmserr.InvalidParameter.Msgf("pin_type must be CipherText or PlainText.")
	}
	return nil
}

type createDatakeyReq struct {
	KeyID         string     `json:"key_id"`
	KeySpec       string     `json:"key_spec"`
	DatakeyLength flexString `json:"datakey_length"`
	Sequence      string     `json:"sequence"`
	aadFields
	levelFourFields
	n int // DEK bytes
}

// Validate: key_id (KMS.0204); key_spec one of datakeySpecBytes (KMS.1902);
// datakey_length in bits, an integer 8-8192 (KMS.1901) and a multiple of 8
// (KMS.1903), which wins over key_spec; neither gives 32 bytes.
func (r *createDatakeyReq) Validate() error {
	if err := checkKeyRef(r.KeyID, r.Sequence); err != nil {
		return err
	}
	r.n = 32
	if r.KeySpec != "" {
		n, ok := datakeySpecBytes[r.KeySpec]
		if !ok {
			return kmserr.DatakeySpec.Msgf("key_spec must be AES_256, AES_128, SM4, HMAC_256, HMAC_384, HMAC_512 or HMAC_SM3, not %q.", r.KeySpec)
		}
		r.n = n
	}
	if r.DatakeyLength != "" {
		bits, err := intField(r.DatakeyLength, 0, 8*service.MinDatakeyBytes, 8*service.MaxDatakeyBytes, kmserr.DatakeyLength)
		if err != nil {
			return err
		}
		if bits%8 != 0 {
			return kmserr.DatakeyNotMultiple.Msgf("datakey_length must be a multiple of 8 bits, got %d.", bits)
		}
		r.n = bits / 8
	}
	if err := r.validatePin(); err != nil {
		return err
	}
	return r.validateAAD()
}

type createDatakeyResp struct {
	KeyID      string `json:"key_id"`
	PlainText  string `json:"plain_text"`
	CipherText string `json:"cipher_text"`
}

type datakeyCipherResp struct {
	KeyID      string `json:"key_id"`
	CipherText string `json:"cipher_text"`
}

func (s *Server) createDatakey(c *call) (int, any, error) { return s.newDatakey(c, true) }

func (s *Server) createDatakeyWithoutPlaintext(c *call) (int, any, error) {
	return s.newDatakey(c, false)
}

func (s *Server) newDatakey(c *call, withPlaintext bool) (int, any, error) {
	var req createDatakeyReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	dk, err := s.Service.CreateDatakey(c.ctx, c.caller, req.KeyID, req.n, req.aad, withPlaintext)
	if err != nil {
		return 0, nil, err
	}
	defer clear(dk.Plaintext)
	c.setKey(dk.KeyID)
	if !withPlaintext {
		return 200, datakeyCipherResp{KeyID: dk.KeyID, CipherText: upperHex(dk.Ciphertext)}, nil
	}
	return 200, createDatakeyResp{KeyID: dk.KeyID, PlainText: upperHex(dk.Plaintext), CipherText: upperHex(dk.Ciphertext)}, nil
}

type encryptDatakeyReq struct {
	KeyID              string     `json:"key_id"`
	PlainText          string     `json:"plain_text"`
	DatakeyPlainLength flexString `json:"datakey_plain_length"`
	KeySpec            string     `json:"key_spec"`
	Sequence           string     `json:"sequence"`
	aadFields
	levelFourFields
	dek, digest []byte
}

// Validate: key_id (KMS.0204); datakey_plain_length bytes 1-1024 (KMS.0204
// missing, KMS.2102 invalid); plain_text hex (KMS.0204, KMS.2101) of exactly
// datakey_plain_length + 32 bytes (KMS.2104); key_spec (level-4 SM2/RSA DEK
// types) refused (KMS.0308).
func (r *encryptDatakeyReq) Validate() error {
	if err := checkKeyRef(r.KeyID, r.Sequence); err != nil {
		return err
	}
	if r.DatakeyPlainLength == "" {
		return kmserr.MissingParameter.Msgf("datakey_plain_length is required.")
	}
	n, err := intField(r.DatakeyPlainLength, 0, service.MinDatakeyBytes, service.MaxDatakeyBytes, kmserr.DatakeyPlainLength)
	if err != nil {
		return err
	}
	if r.PlainText == "" {
		return kmserr.MissingParameter.Msgf("plain_text is required.")
	}
	b, ok := decodeHex(r.PlainText)
	if !ok {
		return kmserr.DatakeyPlainText.Msgf("plain_text must be hex: the data key followed by its 32-byte digest.")
	}
	if len(b) != n+32 {
		return kmserr.DatakeyLengthMatch.Msgf("plain_text has %d bytes; datakey_plain_length %d needs %d (key + 32-byte digest).", len(b), n, n+32)
	}
	r.dek, r.digest = b[:n], b[n:]
	if r.KeySpec != "" {
		return kmserr.InvalidParameter.Msgf("key_spec is not supported: kmsd has no level-4 SM2/RSA data keys.")
	}
	if err := r.validatePin(); err != nil {
		return err
	}
	return r.validateAAD()
}

type encryptDatakeyResp struct {
	KeyID         string `json:"key_id"`
	CipherText    string `json:"cipher_text"`
	DatakeyLength string `json:"datakey_length"`
}

func (s *Server) encryptDatakey(c *call) (int, any, error) {
	var req encryptDatakeyReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	defer clear(req.dek)
	dk, err := s.Service.EncryptDatakey(c.ctx, c.caller, req.KeyID, req.dek, req.digest, req.aad)
	if err != nil {
		return 0, nil, err
	}
	c.setKey(dk.KeyID)
	return 200, encryptDatakeyResp{KeyID: dk.KeyID, CipherText: upperHex(dk.Ciphertext), DatakeyLength: strconv.Itoa(len(req.dek))}, nil
}

type decryptDatakeyReq struct {
	KeyID               string     `json:"key_id"`
	CipherText          string     `json:"cipher_text"`
	DatakeyCipherLength flexString `json:"datakey_cipher_length"`
	Sequence            string     `json:"sequence"`
	aadFields
	blob []byte
}

// Validate: key_id optional (the envelope names its key); cipher_text hex
// (KMS.0204, KMS.2201); datakey_cipher_length, when given, an integer 1-1024
// (KMS.2202) — advisory only, the DEK length comes from the envelope.
func (r *decryptDatakeyReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	blob, err := datakeyCiphertext("cipher_text", r.CipherText)
	if err != nil {
		return err
	}
	r.blob = blob
	if err := checkDatakeyCipherLength(r.DatakeyCipherLength); err != nil {
		return err
	}
	return r.validateAAD()
}

type decryptDatakeyResp struct {
	DataKey       string `json:"data_key"`
	DatakeyLength string `json:"datakey_length"`
	DatakeyDgst   string `json:"datakey_dgst"`
}

func (s *Server) decryptDatakey(c *call) (int, any, error) {
	var req decryptDatakeyReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	dk, err := s.Service.DecryptDatakey(c.ctx, c.caller, req.KeyID, req.blob, req.aad)
	if err != nil {
		return 0, nil, err
	}
	defer clear(dk.Plaintext)
	c.setKey(dk.KeyID)
	return 200, decryptDatakeyResp{
		DataKey: upperHex(dk.Plaintext), DatakeyLength: strconv.Itoa(len(dk.Plaintext)), DatakeyDgst: upperHex(dk.Digest),
	}, nil
}

// datakeyCiphertext decodes a required hex DEK envelope field.
func datakeyCiphertext(field, s string) ([]byte, error) {
	if s == "" {
		return nil, kmserr.MissingParameter.Msgf("%s is required.", field)
	}
	if len(s) > maxDatakeyCiphertextChars {
		return nil, kmserr.InvalidCiphertext.Msgf("%s must be at most %d hex characters.", field, maxDatakeyCiphertextChars)
	}
	blob, ok := decodeHex(s)
	if !ok {
		return nil, kmserr.InvalidCiphertext.Msgf("%s must be hex.", field)
	}
	return blob, nil
}

// checkDatakeyCipherLength validates the advisory datakey_cipher_length.
func checkDatakeyCipherLength(v flexString) error {
	_, err := intField(v, 0, service.MinDatakeyBytes, service.MaxDatakeyBytes, kmserr.DatakeyCipherLength)
	return err
}
