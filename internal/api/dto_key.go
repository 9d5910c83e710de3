package api

import (
	"strconv"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
)

// keyDetails is the KeyDetails object (management-api.md §2.1). Every field
// is a JSON string: the SDK decodes strictly.
type keyDetails struct {
	KeyID                  string `json:"key_id"`
	DomainID               string `json:"domain_id"`
	KeyAlias               string `json:"key_alias"`
	Realm                  string `json:"realm"`
	KeySpec                string `json:"key_spec"`
	KeyUsage               string `json:"key_usage"`
	KeyDescription         string `json:"key_description"`
	CreationDate           string `json:"creation_date"`
	ScheduledDeletionDate  string `json:"scheduled_deletion_date"`
	KeyState               string `json:"key_state"`
	DefaultKeyFlag         string `json:"default_key_flag"`
	KeyType                string `json:"key_type"`
	ExpirationTime         string `json:"expiration_time"`
	Origin                 string `json:"origin"`
	KeyRotationEnabled     string `json:"key_rotation_enabled"`
	SysEnterpriseProjectID string `json:"sys_enterprise_project_id"`
	KeystoreID             string `json:"keystore_id"`
}

// toKeyDetails renders k; region is the realm (the project's region).
func toKeyDetails(k domain.Key, region string) keyDetails {
	return keyDetails{
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
