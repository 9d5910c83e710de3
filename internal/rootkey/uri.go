package rootkey

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// p11URI is the subset of an RFC 7512 PKCS#11 URI that the pkcs11 root key
// understands. Unknown or unsupported attributes are rejected rather than
// ignored, so that a typo cannot silently select a different key.
type p11URI struct {
	token, serial string // token selectors (CKA token label, serial number)
	slotID        uint
	hasSlotID     bool
	object        string // the key's CKA_LABEL (required)
	id            []byte // the key's CKA_ID, optional
	modulePath    string // required
	pinSource     string // file holding the user PIN
	pinValue      string
	create        bool // generate the key if it does not exist
}

// parseP11URI parses raw. Error messages never repeat attribute values, since
// the URI may carry a PIN.
func parseP11URI(raw string) (*p11URI, error) {
	rest, ok := strings.CutPrefix(raw, "pkcs11:")
	if !ok {
		return nil, errors.New(`rootkey: pkcs11 URI must start with "pkcs11:"`)
	}
	path, query, _ := strings.Cut(rest, "?")
	u := &p11URI{}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(path, ";") {
		if part == "" {
			continue
		}
		name, value, err := uriAttr(part, seen)
		if err != nil {
			return nil, err
		}
		switch name {
		case "token":
			u.token = value
		case "serial":
			u.serial = value
		case "slot-id":
			n, err := strconv.ParseUint(value, 10, 0)
			if err != nil {
				return nil, errors.New("rootkey: pkcs11 URI: slot-id must be a decimal number")
			}
			u.slotID, u.hasSlotID = uint(n), true
		case "object":
			u.object = value
		case "id":
			u.id = []byte(value)
		case "type":
			if value != "secret-key" {
				return nil, errors.New(`rootkey: pkcs11 URI: type must be "secret-key"`)
			}
		default:
			return nil, fmt.Errorf("rootkey: pkcs11 URI: unsupported path attribute %q", name)
		}
	}
	for part := range strings.SplitSeq(query, "&") {
		if part == "" {
			continue
		}
		name, value, err := uriAttr(part, seen)
		if err != nil {
			return nil, err
		}
		switch name {
		case "module-path":
			u.modulePath = value
		case "pin-source":
			u.pinSource = value
		case "pin-value":
			u.pinValue = value
		case "create", "x-create":
			switch value {
			case "1", "true", "yes":
				u.create = true
			case "0", "false", "no":
			default:
				return nil, errors.New("rootkey: pkcs11 URI: create must be 1 or 0")
			}
		case "module-name":
			return nil, errors.New("rootkey: pkcs11 URI: module-name is not supported, use module-path")
		default:
			return nil, fmt.Errorf("rootkey: pkcs11 URI: unsupported query attribute %q", name)
		}
	}
	switch {
	case u.object == "":
		return nil, errors.New("rootkey: pkcs11 URI: object=<key label> is required")
	case u.modulePath == "":
		return nil, errors.New("rootkey: pkcs11 URI: module-path=<PKCS#11 library> is required")
	case u.pinSource != "" && u.pinValue != "":
		return nil, errors.New("rootkey: pkcs11 URI: give pin-source or pin-value, not both")
	}
	return u, nil
}

// uriAttr splits and percent-decodes one name=value attribute, rejecting
// repeats (RFC 7512 allows each attribute at most once).
func uriAttr(part string, seen map[string]bool) (name, value string, err error) {
	rawName, rawValue, ok := strings.Cut(part, "=")
	name, err = url.PathUnescape(rawName)
	if !ok || err != nil || name == "" {
		return "", "", errors.New("rootkey: pkcs11 URI: malformed attribute (want name=value)")
	}
	if value, err = url.PathUnescape(rawValue); err != nil {
		return "", "", fmt.Errorf("rootkey: pkcs11 URI: bad percent-encoding in %q", name)
	}
	if seen[name] {
		return "", "", fmt.Errorf("rootkey: pkcs11 URI: attribute %q given twice", name)
	}
	seen[name] = true
	return name, value, nil
}

// pin returns the user PIN: pin-value, or the first line of the pin-source
// file ("file:" prefix allowed), or "" when neither is given (no login).
func (u *p11URI) pin() (string, error) {
	if u.pinSource == "" {
		return u.pinValue, nil
	}
	path := strings.TrimPrefix(u.pinSource, "file://")
	path = strings.TrimPrefix(path, "file:")
	if strings.HasPrefix(path, "|") {
		return "", errors.New("rootkey: pkcs11 URI: pin-source commands are not supported, use a file")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("rootkey: pkcs11 pin-source: %w", err)
	}
	pin, _, _ := strings.Cut(string(b), "\n")
	pin = strings.TrimSuffix(pin, "\r")
	if pin == "" {
		return "", fmt.Errorf("rootkey: pkcs11 pin-source %s is empty", path)
	}
	return pin, nil
}
