package api

import "github.com/kmsd/kmsd/internal/op"

// managementHandlers serves rotation, alias, tag and grant actions
// (management-api.md §3.10-§6).
func (s *Server) managementHandlers() map[op.Name]binding {
	return map[op.Name]binding{
		op.EnableKeyRotation:         bind(s.enableKeyRotation),
		op.DisableKeyRotation:        bind(s.disableKeyRotation),
		op.UpdateKeyRotationInterval: bind(s.updateKeyRotationInterval),
		op.GetKeyRotationStatus:      bind(s.getKeyRotationStatus),

		op.CreateAlias:    bind(s.createAlias),
		op.DeleteAlias:    bind(s.deleteAlias),
		op.ListAliases:    bindURL(s.listAliases),
		op.AssociateAlias: bind(s.associateAlias),

		op.CreateKmsTag:       bind(s.createKmsTag),
		op.ShowKmsTags:        bindURL(s.showKmsTags),
		op.BatchCreateKmsTags: bind(s.batchCreateKmsTags),
		op.DeleteTag:          bindURL(s.deleteTag),
		op.ListKmsTags:        serve(s.listKmsTags),
		op.ListKmsByTags:      bind(s.listKmsByTags),

		op.CreateGrant:         bind(s.createGrant),
		op.ListGrants:          bind(s.listGrants),
		op.RevokeGrant:         bind(s.revokeGrant),
		op.RetireGrant:         bind(s.retireGrant),
		op.ListRetirableGrants: bind(s.listRetirableGrants),
	}
}
