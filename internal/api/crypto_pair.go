package api

import (
	"encoding/base64"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/service"
)

// create-rsa-datakey-pair and create-ec-datakey-pair (crypto-api.md
// §2.14-§2.15).

var (
	rsaPairSpecs = []string{keycrypto.PairRSA2048, keycrypto.PairRSA3072, keycrypto.PairRSA4096}
	ecPairSpecs  = []string{keycrypto.PairECCNISTP256, keycrypto.PairECCNISTP384, keycrypto.PairECCNISTP521,
		keycrypto.PairECCSECGP256K, keycrypto.PairSM2}
)

// pairFields are the fields both pair requests share.
type pairFields struct {
	KeyID                       string `json:"key_id"`
	KeySpec                     string `json:"key_spec"`
	WithPlainText               *bool  `json:"with_plain_text"` // JSON boolean; default true
	AdditionalAuthenticatedData string `json:"additional_authenticated_data"`
	Sequence                    string `json:"sequence"`
}

// validate: key_id and key_spec required (KMS.0204), key_spec one of specs
// (KMS.1902), sequence (KMS.0206), AAD at most 128 bytes (KMS.0308).
func (f *pairFields) validate(specs []string) error {
	if err := fieldRequired("key_id", f.KeyID); err != nil {
		return err
	}
	if err := domain.CheckSequence(f.Sequence); err != nil {
		return err
	}
	if err := fieldEnum("key_spec", f.KeySpec, specs...); err != nil {
		if f.KeySpec == "" {
			return err
		}
		return kmserr.DatakeySpec.Msgf("key_spec must be one of %v, not %q.", specs, f.KeySpec)
	}
	return fieldAAD(f.AdditionalAuthenticatedData)
}

// rsaPairReq is CreateRsaDatakeyPairRequestBody.
type rsaPairReq struct{ pairFields }

func (r *rsaPairReq) Validate() error { return r.validate(rsaPairSpecs) }

// ecPairReq is CreateEcDatakeyPairRequestBody: it also has the level-4 PIN
// fields, treated exactly as create-datakey treats them.
type ecPairReq struct {
	pairFields
	levelFourFields
}

func (r *ecPairReq) Validate() error {
	if err := r.validate(ecPairSpecs); err != nil {
		return err
	}
	return r.validatePin()
}

// pairResp is CreateRsaDatakeyPairResponse / CreateEcDatakeyPairResponse.
type pairResp struct {
	KeyID                string `json:"key_id"`
	KeySpec              string `json:"key_spec"`
	PublicKey            string `json:"public_key"`
	PrivateKeyCipherText string `json:"private_key_cipher_text"`
	PrivateKeyPlainText  string `json:"private_key_plain_text,omitempty"`
}

func (s *Server) createRSADataKeyPair(c *call) (int, any, error) {
	var req rsaPairReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	return s.dataKeyPair(c, &req.pairFields, op.CreateRSADatakeyPair)
}

func (s *Server) createECDataKeyPair(c *call) (int, any, error) {
	var req ecPairReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	return s.dataKeyPair(c, &req.pairFields, op.CreateECDatakeyPair)
}

// dataKeyPair makes the pair; keys and ciphertexts are standard base64.
func (s *Server) dataKeyPair(c *call, f *pairFields, action op.Name) (int, any, error) {
	p, err := s.Service.CreateDataKeyPair(c.ctx, c.caller, service.DataKeyPairRequest{
		KeyRef: f.KeyID, Op: action, Spec: f.KeySpec, AAD: []byte(f.AdditionalAuthenticatedData),
		WithPlain: f.WithPlainText == nil || *f.WithPlainText,
	})
	if err != nil {
		return 0, nil, err
	}
	c.setKey(p.KeyID)
	b64 := base64.StdEncoding.EncodeToString
	resp := pairResp{KeyID: p.KeyID, KeySpec: f.KeySpec, PublicKey: b64(p.Public), PrivateKeyCipherText: b64(p.PrivateCipher)}
	if p.PrivatePlain != nil {
		resp.PrivateKeyPlainText = b64(p.PrivatePlain)
		clear(p.PrivatePlain)
	}
	return 200, resp, nil
}
