package service

import "github.com/kmsd/kmsd/internal/kmserr"

// kmserrOrNil converts a non-nil error to an API error.
func kmserrOrNil(err error) error {
	if err == nil {
		return nil
	}
	return kmserr.From(err)
}
