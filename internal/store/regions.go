package store

import "context"

// ReplicaLink says that key KeyID is a replica of key PrimaryID, made in
// region Region (the name of the replica's project).
type ReplicaLink struct {
	KeyID     string
	PrimaryID string
	Region    string
}

// RegionReader reads the links between multi-region keys and their
// material groups (docs/regions-and-keystores.md).
type RegionReader interface {
	// GetReplicaLink returns the link of a replica to its primary;
	// ErrNotFound if keyID is not a replica.
	GetReplicaLink(ctx context.Context, keyID string) (ReplicaLink, error)
	// ListReplicas returns the links of a primary's replicas ordered by
	// region, then key id.
	ListReplicas(ctx context.Context, primaryID string) ([]ReplicaLink, error)
	// GetMaterialGroup returns the material group recorded for a key: the
	// id of the key whose material it copies. ErrNotFound if none was
	// recorded (the key is its own group).
	GetMaterialGroup(ctx context.Context, keyID string) (string, error)
}

// RegionWriter writes replica links and material groups, inside a Tx.
//
// Links never outlive their keys: [KeyWriter.DeleteKey] removes every link
// the key is either end of, so a primary's replicas then stand alone.
// Material groups do outlive them, like seal reservations: a ciphertext
// made with a deleted replica still names it, and opens with any key of
// its group.
type RegionWriter interface {
	// PutReplicaLink links l.KeyID to its primary, replacing any earlier
	// link of l.KeyID. ErrNotFound if either key does not exist.
	PutReplicaLink(ctx context.Context, l ReplicaLink) error
	// DeleteReplicaLink removes the link of a replica; removing an absent
	// one is not an error.
	DeleteReplicaLink(ctx context.Context, keyID string) error
	// CreateMaterialGroup records the material group of a key, once:
	// ErrExists if it has one, ErrNotFound if the key does not exist.
	// Nothing removes it.
	CreateMaterialGroup(ctx context.Context, keyID, group string) error
}
