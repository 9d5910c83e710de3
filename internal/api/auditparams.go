package api

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/kmsd/kmsd/internal/audit"
)

// auditParams are the request fields the audit trail records: names of
// identifiers, algorithms, sizes and settings. Anything else (plaintext,
// ciphertext, messages, signatures, key material, import tokens,
// passwords, encryption contexts, tags) is never recorded: an allow list,
// so that a new secret field stays out of the trail until named here.
var auditParams = map[string]bool{
	"key_id": true, "key_alias": true, "alias": true, "key_spec": true, "key_usage": true, "origin": true,
	"keystore_id": true, "keystore_alias": true, "keystore_type": true, "hsm_cluster_id": true, "cluster_id": true,
	"encryption_algorithm": true, "signing_algorithm": true, "mac_algorithm": true, "wrapping_algorithm": true,
	"key_agreement_algorithm": true, "source_encryption_algorithm": true, "destination_encryption_algorithm": true,
	"datakey_length": true, "datakey_plain_length": true, "random_data_length": true, "message_type": true,
	"pending_days": true, "rotation_interval": true, "sequence": true, "grant_id": true, "name": true,
	"grantee_principal": true, "grantee_principal_type": true, "retiring_principal": true,
	"destination_key_id": true, "source_key_id": true, "target_key_id": true, "key_state": true,
	"key_description": true, "limit": true, "offset": true, "marker": true, "enterprise_project_id": true,
	"region": true, "replica_region": true, "replica_project_id": true, "primary_region": true,
}

// paramField is one recorded field of a request type.
type paramField struct {
	index int
	name  string
	ptr   bool
	kind  reflect.Kind
}

// paramsOf returns the recorded fields of the struct *T. It runs once per
// route, at start; per request only the values are read.
func paramsOf[T any]() []paramField {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Struct {
		return nil
	}
	var out []paramField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || !auditParams[name] {
			continue
		}
		ft, ptr := f.Type, false
		if ft.Kind() == reflect.Pointer {
			ft, ptr = ft.Elem(), true
		}
		switch ft.Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64:
			out = append(out, paramField{index: i, name: name, ptr: ptr, kind: ft.Kind()})
		}
	}
	return out
}

// recordParams sets the audit event's parameters to the recorded fields of
// req (a pointer to a struct) that are set.
func recordParams(c *call, req any, fields []paramField) {
	if len(fields) == 0 {
		return
	}
	v := reflect.ValueOf(req).Elem()
	b := c.params[:0]
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.ptr {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		n := len(b)
		if n > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, '"', ':')
		switch f.kind {
		case reflect.String:
			if fv.Len() == 0 {
				b = b[:n]
				continue
			}
			b = audit.AppendJSONString(b, fv.String())
		case reflect.Bool:
			b = strconv.AppendBool(b, fv.Bool())
		default:
			b = strconv.AppendInt(b, fv.Int(), 10)
		}
	}
	c.event.Params = b
}
