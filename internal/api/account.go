package api

// Account-level queries: user-instances, user-quotas (management-api.md §9.1-§9.2).

func (s *Server) userInstances(c *call) (int, any, error) {
	n, err := s.Service.Instances(c.ctx, c.caller)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]int{"instance_num": n}, nil
}

type quotaResource struct {
	Type  string `json:"type"`
	Used  int    `json:"used"`
	Quota int    `json:"quota"`
}

type quotasResp struct {
	Quotas struct {
		Resources []quotaResource `json:"resources"`
	} `json:"quotas"`
}

func (s *Server) userQuotas(c *call) (int, any, error) {
	qs, err := s.Service.Quotas(c.ctx, c.caller)
	if err != nil {
		return 0, nil, err
	}
	var resp quotasResp
	resp.Quotas.Resources = []quotaResource{}
	for _, q := range qs {
		resp.Quotas.Resources = append(resp.Quotas.Resources, quotaResource{Type: q.Type, Used: q.Used, Quota: q.Limit})
	}
	return 200, resp, nil
}
