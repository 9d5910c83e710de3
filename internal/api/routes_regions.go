package api

import "github.com/kmsd/kmsd/internal/op"

// regionHandlers serves the multi-region actions under /v2/{project_id}/kms/
// and the keystore actions under /v1.0/{project_id}/keystores
// (management-api.md §10-§11).
func (s *Server) regionHandlers() map[op.Name]handler {
	return map[op.Name]handler{
		op.ListSupportRegions:  s.listSupportRegions,
		op.ReplicateKey:        s.replicateKey,
		op.UpdatePrimaryRegion: s.updatePrimaryRegion,

		op.CreateKeystore:  s.createKeystore,
		op.ListKeystores:   s.listKeystores,
		op.ShowKeystore:    s.showKeystore,
		op.DeleteKeystore:  s.deleteKeystore,
		op.EnableKeystore:  s.enableKeystore,
		op.DisableKeystore: s.disableKeystore,
	}
}
