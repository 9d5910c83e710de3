package api

import "net/http"

// regionRoutes declares the multi-region actions under /v2/{project_id}/kms/
// and the keystore actions under /v1.0/{project_id}/keystores
// (management-api.md §10-§11).
func (s *Server) regionRoutes() []route {
	post, get, put, del := http.MethodPost, http.MethodGet, http.MethodPut, http.MethodDelete
	const v2, ks = "/v2/{project_id}/kms/", "/v1.0/{project_id}/keystores"
	return []route{
		projectRoute(get, v2+"regions", "list-support-regions", s.listSupportRegions),
		projectRoute(post, v2+"keys/{key_id}/replicate", "replicate-key", s.replicateKey).writes(),
		projectRoute(put, v2+"keys/{key_id}/update-primary-region", "update-primary-region", s.updatePrimaryRegion).writes(),

		projectRoute(post, ks, "create-keystore", s.createKeystore).writes(),
		projectRoute(get, ks, "list-keystores", s.listKeystores),
		projectRoute(get, ks+"/{keystore_id}", "show-keystore", s.showKeystore),
		projectRoute(del, ks+"/{keystore_id}", "delete-keystore", s.deleteKeystore).writes(),
		projectRoute(post, ks+"/{keystore_id}/enable", "enable-keystore", s.enableKeystore).writes(),
		projectRoute(post, ks+"/{keystore_id}/disable", "disable-keystore", s.disableKeystore).writes(),
	}
}

// projectRoute declares a project-authenticated route at a full path.
func projectRoute(method, path, name string, h func(*call) (int, any, error)) route {
	return route{method: method, path: path, name: name, auth: authProject, handle: h}
}
