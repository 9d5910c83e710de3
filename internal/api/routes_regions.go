package api

import "github.com/kmsd/kmsd/internal/op"

// regionHandlers serves the multi-region actions under /v2/{project_id}/kms/
// and the keystore actions under /v1.0/{project_id}/keystores
// (management-api.md §10-§11).
func (s *Server) regionHandlers() map[op.Name]binding {
	return map[op.Name]binding{
		op.ListSupportRegions:  bindURL(s.listSupportRegions),
		op.ReplicateKey:        bind(s.replicateKey),
		op.UpdatePrimaryRegion: bind(s.updatePrimaryRegion),

		op.CreateKeystore:  bind(s.createKeystore),
		op.ListKeystores:   bindURL(s.listKeystores),
		op.ShowKeystore:    bindURL(s.showKeystore),
		op.DeleteKeystore:  bindURL(s.deleteKeystore),
		op.EnableKeystore:  bindURL(s.enableKeystore),
		op.DisableKeystore: bindURL(s.disableKeystore),
	}
}
