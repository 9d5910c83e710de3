package wire

import (
	"slices"
	"unicode/utf8"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/service"
)

// ListKmsByTags: POST …/kms/resource_instances/action (management-api.md §5.6).

// Limits of a resource_instances query.
const (
	maxFilterTags     = 10   // tags entries (KMS.0414)
	maxFilterValues   = 10   // values of one tags entry (KMS.0413)
	maxResourcesLimit = 1000 // limit 1-1000, default 10
	defResourcesLimit = 10
	maxMatchChars     = 255
	matchResourceName = "resource_name"
)

// TagFilter is one tags entry of a query: a key and the values to match.
type TagFilter struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// ResourcesReq is ListKmsByTagsRequestBody.
type ResourcesReq struct {
	Action   string      `json:"action"`
	Limit    FlexString  `json:"limit"`
	Offset   FlexString  `json:"offset"`
	Tags     []TagFilter `json:"tags"`
	Matches  []TagItem   `json:"matches"`
	Sequence string      `json:"sequence"`

	query service.TagQuery
}

// Validate: sequence (KMS.0206); action, limit and offset (page); tags
// (checkTags); matches (checkMatches).
func (r *ResourcesReq) Validate() error {
	if err := domain.CheckSequence(r.Sequence); err != nil {
		return err
	}
	if err := r.page(); err != nil {
		return err
	}
	if err := r.checkTags(); err != nil {
		return err
	}
	return r.checkMatches()
}

// Query returns the service's query.
func (r *ResourcesReq) Query() service.TagQuery { return r.query }

// page applies action, limit and offset. An absent action means filter.
func (r *ResourcesReq) page() error {
	var err error
	switch r.Action {
	case "", "filter":
		if r.query.Limit, err = intField(r.Limit, defResourcesLimit, 1, maxResourcesLimit, kmserr.InvalidLimit); err != nil {
			return err
		}
		r.query.Offset, err = intField(r.Offset, 0, 0, 1<<31-1, kmserr.OffsetRange)
		return err
	case "count":
		if r.Offset != "" {
			return kmserr.OffsetNotAllowed
		}
		return nil
	}
	return kmserr.InvalidAction.Msgf("action must be filter or count.")
}

func (r *ResourcesReq) checkTags() error {
	if len(r.Tags) > maxFilterTags {
		return kmserr.InvalidTags.Msgf("tags lists at most %d tag keys.", maxFilterTags)
	}
	for i, t := range r.Tags {
		if service.CheckTagKey(t.Key) != nil {
			return kmserr.InvalidTags.Msgf("tags[%d].key is not a valid tag key.", i)
		}
		if slices.ContainsFunc(r.Tags[:i], func(o TagFilter) bool { return o.Key == t.Key }) {
			return kmserr.InvalidTags.Msgf("The tag key %q appears twice in tags.", t.Key)
		}
		if len(t.Values) > maxFilterValues {
			return kmserr.TooManyValues.Msgf("A tags entry lists at most %d values.", maxFilterValues)
		}
		for j, v := range t.Values {
			if service.CheckTagValue(v) != nil || slices.Contains(t.Values[:j], v) {
				return kmserr.InvalidTags.Msgf("tags[%d].values[%d] is invalid or repeated.", i, j)
			}
		}
		r.query.Tags = append(r.query.Tags, service.TagFilter{Key: t.Key, Values: t.Values})
	}
	return nil
}

// checkMatches accepts at most one match, on resource_name.
func (r *ResourcesReq) checkMatches() error {
	if len(r.Matches) > 1 {
		return kmserr.InvalidMatches.Msgf("matches holds at most one entry (key %s).", matchResourceName)
	}
	for _, m := range r.Matches {
		if m.Key != matchResourceName {
			return kmserr.InvalidMatchKey.Msgf("The only supported matches key is %s.", matchResourceName)
		}
		v := m.Tag().Value
		if n := utf8.RuneCountInString(v); n == 0 || n > maxMatchChars || !utf8.ValidString(v) {
			return kmserr.InvalidMatchVal.Msgf("A matches value must be 1-%d characters.", maxMatchChars)
		}
		r.query.NameContains = v
	}
	return nil
}

// ActionResource is one resource of ListKmsByTagsResponse.
type ActionResource struct {
	ResourceID     string     `json:"resource_id"`
	ResourceDetail KeyDetails `json:"resource_detail"`
	ResourceName   string     `json:"resource_name"`
	Tags           []TagOut   `json:"tags"`
}

// ResourcesResp is ListKmsByTagsResponse for action filter.
type ResourcesResp struct {
	Resources  []ActionResource `json:"resources"`
	TotalCount int              `json:"total_count"`
}

// ResourceCountResp is ListKmsByTagsResponse for action count.
type ResourceCountResp struct {
	TotalCount int `json:"total_count"`
}
