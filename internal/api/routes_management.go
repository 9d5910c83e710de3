package api

import "net/http"

// managementRoutes declares rotation, alias, tag and grant actions
// (management-api.md §3.10-§6). Paths outside the kms(...) action pattern
// are spelled out; the mux accepts them next to the action paths because
// none of them overlaps another path with a different literal.
func (s *Server) managementRoutes() []route {
	post, get, del := http.MethodPost, http.MethodGet, http.MethodDelete
	return []route{
		kms(post, "enable-key-rotation", s.enableKeyRotation).writes(),
		kms(post, "disable-key-rotation", s.disableKeyRotation).writes(),
		kms(post, "update-key-rotation-interval", s.updateKeyRotationInterval).writes(),
		kms(post, "get-key-rotation-status", s.getKeyRotationStatus),

		mgmt(post, "aliases", "create-alias", s.createAlias).writes(),
		mgmt(del, "aliases", "delete-alias", s.deleteAlias).writes(),
		mgmt(get, "aliases", "list-aliases", s.listAliases),
		mgmt(post, "alias/associate", "associate-alias", s.associateAlias).writes(),

		mgmt(post, "{key_id}/tags", "create-kms-tag", s.createKmsTag).writes(),
		mgmt(get, "{key_id}/tags", "show-kms-tags", s.showKmsTags),
		mgmt(post, "{key_id}/tags/action", "batch-create-kms-tags", s.batchCreateKmsTags).writes(),
		mgmt(del, "{key_id}/tags/action", "delete-tag", s.deleteTag).writes(),
		mgmt(del, "{key_id}/tags/{key}", "delete-tag", s.deleteTag).writes(),
		mgmt(get, "tags", "list-kms-tags", s.listKmsTags),
		mgmt(post, "resource_instances/action", "list-kms-by-tags", s.listKmsByTags),

		kms(post, "create-grant", s.createGrant).writes(),
		kms(post, "list-grants", s.listGrants),
		kms(post, "revoke-grant", s.revokeGrant).writes(),
		kms(post, "retire-grant", s.retireGrant).writes(),
		kms(post, "list-retirable-grants", s.listRetirableGrants),
	}
}

// mgmt declares a project-authenticated route at kmsPrefix+path whose audit
// name differs from its path.
func mgmt(method, path, name string, h func(*call) (int, any, error)) route {
	rt := kms(method, path, h)
	rt.name = name
	return rt
}
