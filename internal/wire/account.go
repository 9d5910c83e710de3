package wire

// Account-level queries (management-api.md §9.1-§9.2), API version
// discovery (§9.3-§9.4) and kmsd's health check.

// InstancesResp is ShowUserInstancesResponse.
type InstancesResp struct {
	InstanceNum int `json:"instance_num"`
}

// QuotaResource is one resource of ShowUserQuotasResponse.
type QuotaResource struct {
	Type  string `json:"type"`
	Used  int    `json:"used"`
	Quota int    `json:"quota"`
}

// QuotasResp is ShowUserQuotasResponse.
type QuotasResp struct {
	Quotas struct {
		Resources []QuotaResource `json:"resources"`
	} `json:"quotas"`
}

// Link is a link of an API version.
type Link struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// APIVersion is ApiVersionDetail.
type APIVersion struct {
	ID         string `json:"id"`
	Links      []Link `json:"links"`
	Version    string `json:"version"`
	Status     string `json:"status"`
	Updated    string `json:"updated"`
	MinVersion string `json:"min_version"`
}

// VersionsResp is ShowVersionsResponse.
type VersionsResp struct {
	Versions []APIVersion `json:"versions"`
}

// VersionResp is ShowVersionResponse.
type VersionResp struct {
	Version APIVersion `json:"version"`
}

// HealthResp is the body of GET /healthz.
type HealthResp struct {
	Status string `json:"status"`
}
