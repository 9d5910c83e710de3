package api

import (
	"strconv"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/wire"
)

// toKeyDetails renders k; region is the realm (the project's region).
func toKeyDetails(k domain.Key, region string) wire.KeyDetails {
	return wire.KeyDetails{
		KeyID: k.ID, DomainID: k.DomainID, KeyAlias: k.Alias, Realm: region,
		KeySpec: string(k.Spec), KeyUsage: string(k.Usage), KeyDescription: k.Description,
		CreationDate: millis(k.CreatedAt), ScheduledDeletionDate: millis(k.DeletionDate),
		KeyState: string(k.State), DefaultKeyFlag: flag(k.Default), KeyType: "1",
		ExpirationTime: millis(k.MaterialExpiry), Origin: string(k.Origin),
		KeyRotationEnabled:     strconv.FormatBool(k.RotationEnabled),
		SysEnterpriseProjectID: k.EnterpriseProjectID, KeystoreID: k.KeystoreID,
	}
}

// millis renders a time as a string of Unix milliseconds, "" for the zero time.
func millis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
