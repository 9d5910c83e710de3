package bench

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/op"
)

// Operations kmsbench can drive (names from the catalogue).
const (
	OpEncryptData   = string(op.EncryptData)
	OpDecryptData   = string(op.DecryptData)
	OpCreateDatakey = string(op.CreateDatakey)
	OpSign          = string(op.Sign)
	OpCreateKey     = string(op.CreateKey)
	OpDescribeKey   = string(op.DescribeKey)
	OpListKeys      = string(op.ListKeys)
)

// opSpec describes one operation: the key it needs and its request body.
type opSpec struct {
	defaultSpec domain.KeySpec
	specs       []domain.KeySpec // key specs the operation works with
	needsKey    bool             // a key is created at start unless --key-id
}

var symmetricSpecs = []domain.KeySpec{domain.SpecAES256, domain.SpecSM4}
var signSpecs = []domain.KeySpec{domain.SpecECP256, domain.SpecECP384, domain.SpecSECP256K1,
	domain.SpecRSA2048, domain.SpecRSA3072, domain.SpecRSA4096, domain.SpecSM2}

var ops = map[string]opSpec{
	OpEncryptData:   {defaultSpec: domain.SpecAES256, specs: symmetricSpecs, needsKey: true},
	OpDecryptData:   {defaultSpec: domain.SpecAES256, specs: symmetricSpecs, needsKey: true},
	OpCreateDatakey: {defaultSpec: domain.SpecAES256, specs: symmetricSpecs, needsKey: true},
	OpSign:          {defaultSpec: domain.SpecECP256, specs: signSpecs, needsKey: true},
	OpCreateKey:     {defaultSpec: domain.SpecAES256, specs: domain.AllSpecs},
	OpDescribeKey:   {defaultSpec: domain.SpecAES256, specs: domain.AllSpecs, needsKey: true},
	OpListKeys:      {defaultSpec: domain.SpecAES256, specs: domain.AllSpecs},
}

// OpNames lists the operations in a stable order, for usage text.
func OpNames() []string {
	names := make([]string, 0, len(ops))
	for n := range ops {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// signingAlgorithm is the algorithm sign uses for a key spec, with the
// length of the digest it signs.
func signingAlgorithm(spec domain.KeySpec) (alg string, digestLen int) {
	switch spec {
	case domain.SpecECP384:
		return "ECDSA_SHA_384", 48
	case domain.SpecECP256, domain.SpecSECP256K1:
		return "ECDSA_SHA_256", 32
	case domain.SpecSM2:
		return "SM2DSA_SM3", 32
	}
	return "RSASSA_PSS_SHA_256", 32
}

// payload returns n printable characters (base64 text, what sops and Vault
// send as plain_text) from fresh random bytes.
func payload(n int) string {
	b := make([]byte, base64.StdEncoding.DecodedLen(n)+3)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)[:n]
}

// bodies returns the request body for the i-th request of a run. Every
// operation but create-key sends the same body each time.
type bodies func(i uint64) []byte

// plan prepares the key and the request bodies of cfg's operation. Setup
// requests go to the first URL.
func plan(ctx context.Context, c *client, cfg *Config) (keyID string, next bodies, err error) {
	spec := ops[cfg.Op]
	keyID = cfg.KeyID
	if spec.needsKey && keyID == "" {
		if keyID, err = createKey(ctx, c, cfg.URLs[0], cfg.KeySpec, "kmsbench-"+randomHex(8)); err != nil {
			return "", nil, fmt.Errorf("create the benchmark key (pass --key-id to use an existing one): %w", err)
		}
	}
	if cfg.Op == OpCreateKey {
		prefix := "kmsbench-" + randomHex(8) + "-"
		return "", func(i uint64) []byte {
			b, _ := encodeBody(createKeyBody{Alias: prefix + strconv.FormatUint(i, 10), Spec: string(cfg.KeySpec)})
			return b
		}, nil
	}
	body, err := fixedBody(ctx, c, cfg, keyID)
	if err != nil {
		return "", nil, err
	}
	return keyID, func(uint64) []byte { return body }, nil
}

// fixedBody builds the constant body of the operations other than create-key.
func fixedBody(ctx context.Context, c *client, cfg *Config, keyID string) ([]byte, error) {
	var v any
	switch cfg.Op {
	case OpEncryptData:
		v = map[string]string{"key_id": keyID, "plain_text": payload(cfg.Size)}
	case OpDecryptData:
		ct, err := encryptOnce(ctx, c, cfg.URLs[0], keyID, payload(cfg.Size))
		if err != nil {
			return nil, fmt.Errorf("encrypt the decrypt-data input: %w", err)
		}
		v = map[string]string{"cipher_text": ct}
	case OpCreateDatakey:
		v = map[string]string{"key_id": keyID, "datakey_length": strconv.Itoa(cfg.Size * 8)}
	case OpSign:
		alg, n := signingAlgorithm(cfg.KeySpec)
		digest := make([]byte, n)
		rand.Read(digest)
		v = map[string]string{"key_id": keyID, "message": base64.StdEncoding.EncodeToString(digest),
			"signing_algorithm": alg, "message_type": "DIGEST"}
	case OpDescribeKey:
		v = map[string]string{"key_id": keyID}
	case OpListKeys:
		return listKeysBody(ctx, c, cfg)
	default:
		return nil, fmt.Errorf("unknown operation %q", cfg.Op)
	}
	return encodeBody(v)
}

// createKeyBody is the create-key request kmsbench sends.
type createKeyBody struct {
	Alias string `json:"key_alias"`
	Spec  string `json:"key_spec"`
	Usage string `json:"key_usage,omitempty"`
}

// createKey creates a key of spec with its default usage (sign keys:
// SIGN_VERIFY) and returns its id.
func createKey(ctx context.Context, c *client, url string, spec domain.KeySpec, alias string) (string, error) {
	in := createKeyBody{Alias: alias, Spec: string(spec)}
	if spec.Asymmetric() {
		in.Usage = string(domain.UsageSignVerify)
	}
	var out struct {
		KeyInfo struct {
			KeyID string `json:"key_id"`
		} `json:"key_info"`
	}
	if err := c.call(ctx, url, OpCreateKey, in, &out); err != nil {
		return "", err
	}
	if out.KeyInfo.KeyID == "" {
		return "", fmt.Errorf("create-key answered no key_info.key_id")
	}
	return out.KeyInfo.KeyID, nil
}

// encryptOnce encrypts plain with keyID and returns the cipher_text.
func encryptOnce(ctx context.Context, c *client, url, keyID, plain string) (string, error) {
	var out struct {
		CipherText string `json:"cipher_text"`
	}
	in := map[string]string{"key_id": keyID, "plain_text": plain}
	if err := c.call(ctx, url, OpEncryptData, in, &out); err != nil {
		return "", err
	}
	return out.CipherText, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// listKeysBody is the list-keys request of a run: a page of cfg.Limit keys
// of cfg.KeySpec starting cfg.Depth keys into the list. For a depth, the
// marker is the keyset next_marker kmsd answers to a one-key page at
// position depth-1 (one O(depth) request at setup; every measured request
// then costs a page).
func listKeysBody(ctx context.Context, c *client, cfg *Config) ([]byte, error) {
	body := map[string]string{"limit": strconv.Itoa(cfg.Limit), "key_spec": string(cfg.KeySpec)}
	if cfg.Depth > 0 {
		var out listKeysResp
		in := map[string]string{"limit": "1", "marker": strconv.Itoa(cfg.Depth - 1), "key_spec": string(cfg.KeySpec)}
		if err := c.call(ctx, cfg.URLs[0], OpListKeys, in, &out); err != nil {
			return nil, fmt.Errorf("find the marker at depth %d: %w", cfg.Depth, err)
		}
		if out.NextMarker == "" {
			return nil, fmt.Errorf("--depth %d: the list has only %d %s keys", cfg.Depth, out.Total, cfg.KeySpec)
		}
		body["marker"] = out.NextMarker
	}
	return encodeBody(body)
}

// listKeysResp is the part of list-keys' answer kmsbench reads.
type listKeysResp struct {
	NextMarker string `json:"next_marker"`
	Total      int    `json:"total"`
}

// projectKeys returns the number of keys (every spec) in the project.
func projectKeys(ctx context.Context, c *client, url string) (int, error) {
	var out listKeysResp
	if err := c.call(ctx, url, OpListKeys, map[string]string{"limit": "1", "key_spec": "ALL"}, &out); err != nil {
		return 0, err
	}
	return out.Total, nil
}
