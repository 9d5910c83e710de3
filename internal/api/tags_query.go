package api

import "github.com/kmsd/kmsd/internal/wire"

// ListKmsByTags: POST …/kms/resource_instances/action (management-api.md §5.6).

// listKmsByTags answers a ResourcesResp, or for action count a
// ResourceCountResp.
func (s *Server) listKmsByTags(c *call, req *wire.ResourcesReq) (any, error) {
	hits, total, err := s.Service.ListByTags(c.ctx, c.caller, req.Query())
	if err != nil {
		return nil, err
	}
	if req.Action == "count" {
		return wire.ResourceCountResp{TotalCount: total}, nil
	}
	resp := wire.ResourcesResp{Resources: make([]wire.ActionResource, 0, len(hits)), TotalCount: total}
	for _, h := range hits {
		resp.Resources = append(resp.Resources, wire.ActionResource{ResourceID: h.Key.ID,
			ResourceDetail: toKeyDetails(h.Key, c.caller.Region), ResourceName: h.Key.Alias, Tags: toTagsOut(h.Tags)})
	}
	return resp, nil
}
