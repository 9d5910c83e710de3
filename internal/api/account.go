package api

import "github.com/kmsd/kmsd/internal/wire"

// Account-level queries: user-instances, user-quotas (management-api.md §9.1-§9.2).

func (s *Server) userInstances(c *call) (wire.InstancesResp, error) {
	n, err := s.Service.Instances(c.ctx, c.caller)
	return wire.InstancesResp{InstanceNum: n}, err
}

func (s *Server) userQuotas(c *call) (wire.QuotasResp, error) {
	qs, err := s.Service.Quotas(c.ctx, c.caller)
	if err != nil {
		return wire.QuotasResp{}, err
	}
	var resp wire.QuotasResp
	resp.Quotas.Resources = []wire.QuotaResource{}
	for _, q := range qs {
		resp.Quotas.Resources = append(resp.Quotas.Resources, wire.QuotaResource{Type: q.Type, Used: q.Used, Quota: q.Limit})
	}
	return resp, nil
}
