package api

import (
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/wire"
)

// Tag actions on one key (management-api.md §5.1-§5.5). The key is the
// path's {key_id}, recorded for the audit even when it is invalid.

func toTagsOut(tags []domain.Tag) []wire.TagOut {
	out := make([]wire.TagOut, 0, len(tags))
	for _, t := range tags {
		out = append(out, wire.TagOut{Key: t.Key, Value: t.Value})
	}
	return out
}

func (s *Server) createKmsTag(c *call, req *wire.CreateTagReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.AddTags(c.ctx, c.caller, req.KeyID, []domain.Tag{req.Tag.Tag()})
}

func (s *Server) batchCreateKmsTags(c *call, req *wire.BatchTagsReq) (wire.Empty, error) {
	if req.Action == "create" {
		tags := make([]domain.Tag, 0, len(req.Tags))
		for _, t := range req.Tags {
			tags = append(tags, t.Tag())
		}
		return wire.Empty{}, s.Service.AddTags(c.ctx, c.caller, req.KeyID, tags)
	}
	keys := make([]string, 0, len(req.Tags))
	for _, t := range req.Tags {
		keys = append(keys, t.Key)
	}
	return wire.Empty{}, s.Service.RemoveTags(c.ctx, c.caller, req.KeyID, keys, false)
}

func (s *Server) deleteTag(c *call, req *wire.DeleteTagReq) (wire.Empty, error) {
	return wire.Empty{}, s.Service.RemoveTags(c.ctx, c.caller, req.KeyID, []string{req.Key}, true)
}

func (s *Server) showKmsTags(c *call, req *wire.KeyPath) (wire.ShowTagsResp, error) {
	tags, err := s.Service.Tags(c.ctx, c.caller, req.KeyID)
	if err != nil {
		return wire.ShowTagsResp{}, err
	}
	return wire.ShowTagsResp{Tags: toTagsOut(tags), ExistTagsNum: len(tags), SysTags: []wire.TagOut{}}, nil
}

func (s *Server) listKmsTags(c *call) (wire.ProjectTagsResp, error) {
	pts, err := s.Service.ProjectTags(c.ctx, c.caller)
	if err != nil {
		return wire.ProjectTagsResp{}, err
	}
	out := make([]wire.ProjectTag, 0, len(pts))
	for _, p := range pts {
		out = append(out, wire.ProjectTag{Key: p.Key, Values: p.Values})
	}
	return wire.ProjectTagsResp{Tags: out}, nil
}
