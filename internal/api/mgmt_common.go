package api

import (
	"strings"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// mgmtKeyRef validates a key reference of the management actions: a key
// id, an alias name ("alias/x") or an alias URN ("kms:…:alias:x").
// Empty answers KMS.0204; a malformed id or alias KMS.0205.
func mgmtKeyRef(field, ref string) error {
	switch {
	case ref == "":
		return kmserr.MissingParameter.Msgf("%s is required.", field)
	case domain.ValidKeyID(ref):
		return nil
	case strings.HasPrefix(ref, service.AliasPrefix):
		if service.CheckAliasName(ref) != nil {
			return kmserr.InvalidKeyID.Msgf("%s is neither a key id nor a valid alias.", field)
		}
		return nil
	case strings.HasPrefix(ref, "kms:") && strings.Contains(ref, ":alias:") && len(ref) <= 512:
		return nil
	}
	return kmserr.InvalidKeyID.Msgf("%s must be a key id (36 characters), an alias or an alias URN.", field)
}

// keyRefSeqReq is the body of management actions naming one key
// (OperateKeyRequestBody) whose key_id may be an id, alias or alias URN.
type keyRefSeqReq keyReq

func (r *keyRefSeqReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	return mgmtKeyRef("key_id", r.KeyID)
}
