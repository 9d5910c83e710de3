package api

import (
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/wire"
)

// The allow list of recorded parameters names no field that carries
// data or secrets.
func TestAuditParamsAreNotSecrets(t *testing.T) {
	bad := map[string]bool{"plain": true, "text": true, "secret": true, "password": true, "token": true,
		"material": true, "private": true, "privatekey": true, "signature": true, "digest": true, "context": true,
		"pin": true, "mac": true, "authenticated": true, "data": true, "message": true, "key": false}
	sizesAndNames := map[string]bool{"mac_algorithm": true, "datakey_plain_length": true, "message_type": true,
		"random_data_length": true}
	for name := range auditParams {
		for word := range strings.SplitSeq(name, "_") {
			if bad[word] && !sizesAndNames[name] {
				t.Errorf("recorded parameter %q looks like data or a secret (%q)", name, word)
			}
		}
	}
}

// An encrypt-data request records its key and algorithm, never its
// plaintext, and without allocating.
func TestRecordParams(t *testing.T) {
	plain := "secret-plaintext"
	req := &wire.EncryptDataReq{KeyID: "k-1", PlainText: &plain, EncryptionAlgorithm: "SYMMETRIC_DEFAULT"}
	fields := paramsOf[wire.EncryptDataReq]()
	c := &call{}
	c.event = &c.ev
	recordParams(c, req, fields)
	got := string(c.event.Params)
	if got != `"key_id":"k-1","encryption_algorithm":"SYMMETRIC_DEFAULT"` {
		t.Fatalf("params %s", got)
	}
	if n := testing.AllocsPerRun(100, func() { recordParams(c, req, fields) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
