package api

// requestDTOs returns a fresh value of every key-lifecycle and IAM request
// DTO, for fuzzing. Other families have their own list and fuzz target.
func requestDTOs() []validator {
	return []validator{
		&createKeyReq{}, &keyReq{}, &keyRefReq{}, &listKeysReq{}, &updateDescriptionReq{},
		&updateAliasReq{}, &scheduleDeletionReq{}, &tokenReq{},
	}
}
