package api

import (
	"net/http"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Tag actions on one key (management-api.md §5.1-§5.5).

// tagItem is TagItem. Value is a pointer on input so that an absent value
// and "" both mean the empty value.
type tagItem struct {
	Key   string  `json:"key"`
	Value *string `json:"value"`
}

func (t tagItem) tag() domain.Tag {
	v := ""
	if t.Value != nil {
		v = *t.Value
	}
	return domain.Tag{Key: t.Key, Value: v}
}

func (t tagItem) Validate() error {
	if err := service.CheckTagKey(t.Key); err != nil {
		return err
	}
	return service.CheckTagValue(t.tag().Value)
}

// tagOut is TagItem on output: value is always present.
type tagOut struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func toTagsOut(tags []domain.Tag) []tagOut {
	out := make([]tagOut, 0, len(tags))
	for _, t := range tags {
		out = append(out, tagOut{Key: t.Key, Value: t.Value})
	}
	return out
}

// pathKeyRef returns the {key_id} path value, validated.
func pathKeyRef(c *call) (string, error) {
	id := c.r.PathValue("key_id")
	c.setKey(id)
	return id, mgmtKeyRef("key_id", id)
}

type createTagReq struct {
	Tag      *tagItem `json:"tag"`
	Sequence string   `json:"sequence"`
}

func (r *createTagReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.Tag == nil {
		return kmserr.MissingParameter.Msgf("tag is required.")
	}
	return r.Tag.Validate()
}

func (s *Server) createKmsTag(c *call) (int, any, error) {
	id, err := pathKeyRef(c)
	if err != nil {
		return 0, nil, err
	}
	var req createTagReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	if err := s.Service.AddTags(c.ctx, c.caller, id, []domain.Tag{req.Tag.tag()}); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// maxBatchTags bounds the tags list of one batch request (KMS.0407); the
// per-key limit (KMS.0409) applies to the result.
const maxBatchTags = 50

type batchTagsReq struct {
	Tags     []tagItem `json:"tags"`
	Action   string    `json:"action"`
	Sequence string    `json:"sequence"`
}

func (r *batchTagsReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.Action != "create" && r.Action != "delete" {
		return kmserr.InvalidAction.Msgf("action must be create or delete.")
	}
	if len(r.Tags) == 0 {
		return kmserr.TagListEmpty
	}
	if len(r.Tags) > maxBatchTags {
		return kmserr.InvalidTagList.Msgf("tags lists at most %d tags.", maxBatchTags)
	}
	seen := map[string]bool{}
	for _, t := range r.Tags {
		if err := t.Validate(); err != nil {
			return err
		}
		if seen[t.Key] {
			return kmserr.InvalidTagKeys.Msgf("The tag key %q appears twice.", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func (s *Server) batchCreateKmsTags(c *call) (int, any, error) {
	id, err := pathKeyRef(c)
	if err != nil {
		return 0, nil, err
	}
	var req batchTagsReq
	if err := decodeValid(c, &req); err != nil {
		return 0, nil, err
	}
	if req.Action == "create" {
		tags := make([]domain.Tag, 0, len(req.Tags))
		for _, t := range req.Tags {
			tags = append(tags, t.tag())
		}
		err = s.Service.AddTags(c.ctx, c.caller, id, tags)
	} else {
		keys := make([]string, 0, len(req.Tags))
		for _, t := range req.Tags {
			keys = append(keys, t.Key)
		}
		err = s.Service.RemoveTags(c.ctx, c.caller, id, keys, false)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

// deleteTag serves DELETE …/{key_id}/tags/{key}; on the …/tags/action path
// (a tag literally named "action") the tag key is "action".
func (s *Server) deleteTag(c *call) (int, any, error) {
	id, err := pathKeyRef(c)
	if err != nil {
		return 0, nil, err
	}
	key := c.r.PathValue("key")
	if key == "" {
		key = "action"
	}
	if err := service.CheckTagKey(key); err != nil {
		return 0, nil, err
	}
	if err := s.Service.RemoveTags(c.ctx, c.caller, id, []string{key}, true); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

type showTagsResp struct {
	Tags         []tagOut `json:"tags"`
	ExistTagsNum int      `json:"existTagsNum"`
	SysTags      []tagOut `json:"sys_tags"`
}

func (s *Server) showKmsTags(c *call) (int, any, error) {
	id, err := pathKeyRef(c)
	if err != nil {
		return 0, nil, err
	}
	tags, err := s.Service.Tags(c.ctx, c.caller, id)
	if err != nil {
		return 0, nil, err
	}
	return 200, showTagsResp{Tags: toTagsOut(tags), ExistTagsNum: len(tags), SysTags: []tagOut{}}, nil
}

// projectTag is Tag: a key with its values.
type projectTag struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

func (s *Server) listKmsTags(c *call) (int, any, error) {
	pts, err := s.Service.ProjectTags(c.ctx, c.caller)
	if err != nil {
		return 0, nil, err
	}
	out := make([]projectTag, 0, len(pts))
	for _, p := range pts {
		out = append(out, projectTag{Key: p.Key, Values: p.Values})
	}
	return 200, map[string][]projectTag{"tags": out}, nil
}
