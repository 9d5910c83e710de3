package api

import (
	"regexp"
	"strconv"

	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Keystore actions (management-api.md §10). kmsd has no dedicated HSM or
// crypto-card clusters: only DEFAULT keystores exist (docs/regions-and-keystores.md).

var keystoreAliasRe = regexp.MustCompile(`^[a-zA-Z0-9:/_-]{1,255}$`)

type createKeystoreReq struct {
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
func (r *createKeystoreReq) Validate() error {
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

type keystoreInfo struct {
	KeystoreID string `json:"keystore_id"`
	DomainID   string `json:"domain_id"`
}

// keystoreDetails is KeystoreDetails plus keystore_state, which the SDK
// model lacks and ignores.
type keystoreDetails struct {
	KeystoreID    string `json:"keystore_id"`
	DomainID      string `json:"domain_id"`
	KeystoreAlias string `json:"keystore_alias"`
	KeystoreType  string `json:"keystore_type"`
	HsmClusterID  string `json:"hsm_cluster_id"`
	ClusterID     string `json:"cluster_id"`
	CreateTime    string `json:"create_time"`
	KeystoreState string `json:"keystore_state"`
}

func toKeystoreDetails(ks service.Keystore) keystoreDetails {
	return keystoreDetails{
		KeystoreID: ks.ID, DomainID: ks.DomainID, KeystoreAlias: ks.Alias, KeystoreType: "DEFAULT",
		HsmClusterID: "", ClusterID: "0", CreateTime: strconv.FormatInt(ks.CreatedAt.UnixMilli(), 10),
		KeystoreState: ks.State,
	}
}

func (s *Server) createKeystore(c *call) (int, any, error) {
	var req createKeystoreReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	ks, err := s.Service.CreateKeystore(c.ctx, c.caller, req.KeystoreAlias)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]keystoreInfo{"keystore": {KeystoreID: ks.ID, DomainID: ks.DomainID}}, nil
}

// listKeystores: limit 0-1000 (default 10), offset >= 0.
func (s *Server) listKeystores(c *call) (int, any, error) {
	q, err := queryPage(c, 10, 1000)
	if err != nil {
		return 0, nil, err
	}
	out := []keystoreDetails{}
	total := 0
	if q.limit > 0 {
		kss, n, err := s.Service.ListKeystores(c.ctx, c.caller, q.offset, q.limit)
		if err != nil {
			return 0, nil, err
		}
		for _, ks := range kss {
			out = append(out, toKeystoreDetails(ks))
		}
		total = n
	}
	return 200, struct {
		Total     int               `json:"total"`
		Keystores []keystoreDetails `json:"keystores"`
	}{total, out}, nil
}

func (s *Server) showKeystore(c *call) (int, any, error) {
	ks, err := s.Service.Keystore(c.ctx, c.caller, c.r.PathValue("keystore_id"))
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]keystoreDetails{"keystore": toKeystoreDetails(ks)}, nil
}

func (s *Server) deleteKeystore(c *call) (int, any, error) {
	if err := s.Service.DeleteKeystore(c.ctx, c.caller, c.r.PathValue("keystore_id")); err != nil {
		return 0, nil, err
	}
	return 204, nil, nil
}

func (s *Server) enableKeystore(c *call) (int, any, error) {
	return s.setKeystoreState(c, service.KeystoreEnabled)
}

func (s *Server) disableKeystore(c *call) (int, any, error) {
	return s.setKeystoreState(c, service.KeystoreDisabled)
}

func (s *Server) setKeystoreState(c *call, state string) (int, any, error) {
	ks, err := s.Service.SetKeystoreState(c.ctx, c.caller, c.r.PathValue("keystore_id"), state)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]map[string]string{"keystore": {"keystore_id": ks.ID, "keystore_state": ks.State}}, nil
}
