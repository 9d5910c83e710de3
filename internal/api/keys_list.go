package api

import (
	"strconv"

	"github.com/kmsd/kmsd/internal/wire"
)

func (s *Server) listKeys(c *call, req *wire.ListKeysReq) (wire.ListKeysResp, error) {
	q := req.Query()
	keys, total, err := s.Service.ListKeys(c.ctx, c.caller, q)
	if err != nil {
		return wire.ListKeysResp{}, err
	}
	resp := wire.ListKeysResp{Keys: []string{}, KeyDetails: []wire.KeyDetails{}, Truncated: "false", Total: total}
	for _, k := range keys {
		resp.Keys = append(resp.Keys, k.ID)
		resp.KeyDetails = append(resp.KeyDetails, toKeyDetails(k, c.caller.Region))
	}
	if end := q.Offset + len(keys); end < total {
		resp.Truncated, resp.NextMarker = "true", strconv.Itoa(end)
	}
	return resp, nil
}
