package domain

import "time"

// KeyState is the Huawei key_state value. On the wire it is a string ("2").
type KeyState string

// Key states (management-api.md §7).
const (
	StatePendingActivation KeyState = "1"
	StateEnabled           KeyState = "2"
	StateDisabled          KeyState = "3"
	StatePendingDeletion   KeyState = "4"
	StatePendingImport     KeyState = "5"
)

// Origin says where a key's material comes from.
type Origin string

// Key origins.
const (
	OriginKMS      Origin = "kms"
	OriginExternal Origin = "external"
)

// Key is a customer master key (CMK) and its metadata. Key material lives in
// [KeyVersion]s, never here.
type Key struct {
	ID                  string
	DomainID            string
	ProjectID           string
	Alias               string // the key's primary name (key_alias)
	Description         string
	Spec                KeySpec
	Usage               KeyUsage
	Origin              Origin
	State               KeyState
	Default             bool      // service default key (alias ends in "/default")
	CreatedAt           time.Time // creation_date
	DeletionDate        time.Time // zero unless State is StatePendingDeletion
	MaterialExpiry      time.Time // imported material expiry; zero when none
	RotationEnabled     bool
	RotationInterval    int       // days, 30..365
	LastRotation        time.Time // zero when never rotated
	RotationCount       int
	PrimaryVersion      int // version used for new ciphertexts; 0 = no material yet
	EnterpriseProjectID string
	KeystoreID          string
	// Revision increases by one on every stored change; caches compare it.
	Revision int64
}

// HasMaterial reports whether the key has usable material (a primary version).
func (k *Key) HasMaterial() bool { return k.PrimaryVersion > 0 }

// KeyVersion is one generation of a key's material, wrapped under the root key.
type KeyVersion struct {
	KeyID     string
	Version   int
	Wrapped   []byte // material sealed by the root key; AAD binds KeyID and Version
	RootKeyID string // which root key wrapped it
	PublicKey []byte // DER SubjectPublicKeyInfo for asymmetric specs, else nil
	CreatedAt time.Time
}

// Alias is a named pointer to a key (the multi-alias feature, management-api.md §4).
type Alias struct {
	ProjectID string
	DomainID  string
	Name      string // e.g. "alias/my-key"
	KeyID     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Tag is one key/value tag on a key.
type Tag struct {
	Key   string
	Value string
}

// Grant lets a principal use a key for a fixed set of operations.
type Grant struct {
	ID                string // 64 hex chars
	KeyID             string
	ProjectID         string
	DomainID          string // domain of the key owner
	Name              string
	GranteePrincipal  string
	GranteeType       string // "user" or "domain"
	RetiringPrincipal string
	IssuingPrincipal  string
	Operations        []string
	CreatedAt         time.Time
}
