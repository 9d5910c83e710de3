package api

import "github.com/kmsd/kmsd/internal/op"

// managementHandlers serves rotation, alias, tag and grant actions
// (management-api.md §3.10-§6).
func (s *Server) managementHandlers() map[op.Name]handler {
	return map[op.Name]handler{
		op.EnableKeyRotation:         s.enableKeyRotation,
		op.DisableKeyRotation:        s.disableKeyRotation,
		op.UpdateKeyRotationInterval: s.updateKeyRotationInterval,
		op.GetKeyRotationStatus:      s.getKeyRotationStatus,

		op.CreateAlias:    s.createAlias,
		op.DeleteAlias:    s.deleteAlias,
		op.ListAliases:    s.listAliases,
		op.AssociateAlias: s.associateAlias,

		op.CreateKmsTag:       s.createKmsTag,
		op.ShowKmsTags:        s.showKmsTags,
		op.BatchCreateKmsTags: s.batchCreateKmsTags,
		op.DeleteTag:          s.deleteTag,
		op.ListKmsTags:        s.listKmsTags,
		op.ListKmsByTags:      s.listKmsByTags,

		op.CreateGrant:         s.createGrant,
		op.ListGrants:          s.listGrants,
		op.RevokeGrant:         s.revokeGrant,
		op.RetireGrant:         s.retireGrant,
		op.ListRetirableGrants: s.listRetirableGrants,
	}
}
