package wire

import (
	"net/http"
	"regexp"

	"github.com/kmsd/kmsd/internal/kmserr"
)

// Keystore actions (management-api.md §10). kmsd has no dedicated HSM or
// crypto-card clusters: only DEFAULT keystores exist (docs/regions-and-keystores.md).

var keystoreAliasRe = regexp.MustCompile(`^[a-zA-Z0-9:/_-]{1,255}$`)

// CreateKeystoreReq is CreateKeyStoreRequestBody.
type CreateKeystoreReq struct {
	KeystoreAlias string  `json:"keystore_alias"`
	HsmClusterID  *string `json:"hsm_cluster_id"`
	HsmCaCert     *string `json:"hsm_ca_cert"`
	ClusterID     *string `json:"cluster_id"`
	KeystoreType  string  `json:"keystore_type"`
}

// Validate: keystore_alias required (KMS.0204) and well-formed (KMS.1101);
// keystore_type DEFAULT or absent; DHSM, CDMS, an HSM cluster or CA
// certificate, or a cluster_id other than "0" answer KMS.0340; any other
// type KMS.0308.
func (r *CreateKeystoreReq) Validate() error {
	switch {
	case r.KeystoreAlias == "":
		return kmserr.MissingParameter.Msgf("keystore_alias is required.")
	case !keystoreAliasRe.MatchString(r.KeystoreAlias):
		return kmserr.InvalidAlias.Msgf("keystore_alias must be 1-255 characters of a-z, A-Z, 0-9, ':', '/', '_' and '-'.")
	}
	switch r.KeystoreType {
	case "", "DEFAULT":
	case "DHSM", "CDMS":
		return kmserr.KeystoreUnsupported.Msgf("keystore type %s is not supported: kmsd has no dedicated HSM or CDMS clusters; use DEFAULT.", r.KeystoreType)
	default:
		return kmserr.InvalidParameter.Msgf("keystore_type must be DEFAULT, DHSM or CDMS.")
	}
	if r.HsmClusterID != nil || r.HsmCaCert != nil || (r.ClusterID != nil && *r.ClusterID != "0") {
		return kmserr.KeystoreUnsupported.Msgf("hsm_cluster_id, hsm_ca_cert and cluster_id are not supported: kmsd has no dedicated HSM clusters.")
	}
	return nil
}

// KeystoreInfo is create-keystore's keystore.
type KeystoreInfo struct {
	KeystoreID string `json:"keystore_id"`
	DomainID   string `json:"domain_id"`
}

// CreateKeystoreResp is CreateKeyStoreResponse.
type CreateKeystoreResp struct {
	Keystore KeystoreInfo `json:"keystore"`
}

// KeystoreDetails is KeystoreDetails plus keystore_state, which the SDK
// model lacks and ignores.
type KeystoreDetails struct {
	KeystoreID    string `json:"keystore_id"`
	DomainID      string `json:"domain_id"`
	KeystoreAlias string `json:"keystore_alias"`
	KeystoreType  string `json:"keystore_type"`
	HsmClusterID  string `json:"hsm_cluster_id"`
	ClusterID     string `json:"cluster_id"`
	CreateTime    string `json:"create_time"`
	KeystoreState string `json:"keystore_state"`
}

// ListKeystoresReq is list-keystores' query: limit 0-1000 (default 10),
// offset >= 0.
type ListKeystoresReq struct{ PageQuery }

// FromURL reads the query and validates it.
func (r *ListKeystoresReq) FromURL(hr *http.Request) error {
	r.fromURL(hr)
	return r.Validate()
}

// Validate checks the PageQuery bounds.
func (r *ListKeystoresReq) Validate() error { return r.validate(10, 1000) }

// ListKeystoresResp is ListKeyStoresResponse.
type ListKeystoresResp struct {
	Total     int               `json:"total"`
	Keystores []KeystoreDetails `json:"keystores"`
}

// KeystoreResp is ShowKeyStoreResponse.
type KeystoreResp struct {
	Keystore KeystoreDetails `json:"keystore"`
}

// KeystorePath is the {keystore_id} of the actions on one keystore: the
// request of show, delete, enable and disable. Any value is looked up.
type KeystorePath struct {
	KeystoreID string `path:"keystore_id"`
}

// FromURL reads {keystore_id}.
func (p *KeystorePath) FromURL(r *http.Request) error {
	p.KeystoreID = r.PathValue("keystore_id")
	return nil
}

// KeystoreState is the keystore of enable-keystore and disable-keystore's
// responses.
type KeystoreState struct {
	KeystoreID    string `json:"keystore_id"`
	KeystoreState string `json:"keystore_state"`
}

// KeystoreStateResp is EnableKeyStoreResponse / DisableKeyStoreResponse.
type KeystoreStateResp struct {
	Keystore KeystoreState `json:"keystore"`
}
