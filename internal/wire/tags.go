package wire

import (
	"net/http"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// Tag actions on one key (management-api.md §5.1-§5.5).

// TagItem is TagItem. Value is a pointer on input so that an absent value
// and "" both mean the empty value.
type TagItem struct {
	Key   string  `json:"key"`
	Value *string `json:"value"`
}

// Tag returns the tag.
func (t TagItem) Tag() domain.Tag {
	v := ""
	if t.Value != nil {
		v = *t.Value
	}
	return domain.Tag{Key: t.Key, Value: v}
}

// Validate: a valid tag key and value (service.CheckTagKey, CheckTagValue).
func (t TagItem) Validate() error {
	if err := service.CheckTagKey(t.Key); err != nil {
		return err
	}
	return service.CheckTagValue(t.Tag().Value)
}

// TagOut is TagItem on output: value is always present.
type TagOut struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// KeyPath is the {key_id} of a tag action's path: a key id, alias or alias
// URN. Alone it is show-kms-tags' request.
type KeyPath struct {
	KeyID string `path:"key_id"`
}

// FromURL reads {key_id} and validates it (mgmtKeyRef).
func (p *KeyPath) FromURL(r *http.Request) error {
	p.KeyID = r.PathValue("key_id")
	return mgmtKeyRef("key_id", p.KeyID)
}

// AuditKey implements Keyed.
func (p *KeyPath) AuditKey() string { return p.KeyID }

// CreateTagReq is create-kms-tag's request: the path's key and
// CreateKmsTagRequestBody.
type CreateTagReq struct {
	KeyPath  `json:"-"`
	Tag      *TagItem `json:"tag"`
	Sequence string   `json:"sequence"`
}

// Validate: sequence (KMS.0206); tag present (KMS.0204) and valid.
func (r *CreateTagReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if r.Tag == nil {
		return kmserr.MissingParameter.Msgf("tag is required.")
	}
	return r.Tag.Validate()
}

// maxBatchTags bounds the tags list of one batch request (KMS.0407); the
// per-key limit (KMS.0409) applies to the result.
const maxBatchTags = 50

// BatchTagsReq is batch-create-kms-tags' request: the path's key and
// BatchCreateKmsTagsRequestBody.
type BatchTagsReq struct {
	KeyPath  `json:"-"`
	Tags     []TagItem `json:"tags"`
	Action   string    `json:"action"`
	Sequence string    `json:"sequence"`
}

// Validate: sequence (KMS.0206); action create or delete (KMS.0404); 1-50
// tags (KMS.0401, KMS.0407), each valid, no key twice (KMS.0412).
func (r *BatchTagsReq) Validate() error {
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

// DeleteTagReq is delete-tag's request: DELETE …/{key_id}/tags/{key}; on
// the …/tags/action path (a tag literally named "action") the tag key is
// "action".
type DeleteTagReq struct {
	KeyPath
	Key string `path:"key"`
}

// FromURL reads and validates {key_id}, then the tag key.
func (r *DeleteTagReq) FromURL(hr *http.Request) error {
	if err := r.KeyPath.FromURL(hr); err != nil {
		return err
	}
	r.Key = hr.PathValue("key")
	if r.Key == "" {
		r.Key = "action"
	}
	return service.CheckTagKey(r.Key)
}

// ShowTagsResp is ShowKmsTagsResponse.
type ShowTagsResp struct {
	Tags         []TagOut `json:"tags"`
	ExistTagsNum int      `json:"existTagsNum"`
	SysTags      []TagOut `json:"sys_tags"`
}

// ProjectTag is Tag: a key with its values.
type ProjectTag struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// ProjectTagsResp is ListKmsTagsResponse.
type ProjectTagsResp struct {
	Tags []ProjectTag `json:"tags"`
}
