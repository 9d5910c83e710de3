package api

import (
	"github.com/kmsd/kmsd/internal/marker"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/wire"
)

// listKeys answers a page; next_marker is a keyset marker (package marker)
// after the page's last key, whatever kind of marker the request sent.
func (s *Server) listKeys(c *call, req *wire.ListKeysReq) (wire.ListKeysResp, error) {
	page, err := s.Service.ListKeys(c.ctx, c.caller, req.Query())
	if err != nil {
		return wire.ListKeysResp{}, err
	}
	resp := wire.ListKeysResp{Keys: make([]string, 0, len(page.Keys)), KeyDetails: make([]wire.KeyDetails, 0, len(page.Keys)),
		Truncated: "false", Total: page.Total}
	for _, k := range page.Keys {
		resp.Keys = append(resp.Keys, k.ID)
		resp.KeyDetails = append(resp.KeyDetails, toKeyDetails(k, c.caller.Region))
	}
	if page.More && len(page.Keys) > 0 {
		last := page.Keys[len(page.Keys)-1]
		resp.Truncated, resp.NextMarker = "true", marker.Keyset(store.KeyCursor{CreatedAt: last.CreatedAt, ID: last.ID})
	}
	return resp, nil
}
