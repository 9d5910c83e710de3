package api

import "github.com/kmsd/kmsd/internal/wire"

// requestDTOs returns a fresh value of every key-lifecycle and IAM request
// DTO, for fuzzing. Other families have their own list and fuzz target.
func requestDTOs() []wire.Request {
	return []wire.Request{
		&wire.CreateKeyReq{}, &wire.KeyReq{}, &wire.KeyRefReq{}, &wire.ListKeysReq{}, &wire.UpdateDescriptionReq{},
		&wire.UpdateAliasReq{}, &wire.ScheduleDeletionReq{}, &wire.TokenReq{},
	}
}
