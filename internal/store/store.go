// Package store defines kmsd's persistence contract: a small, domain-level
// interface per aggregate, with sentinel errors and read-write transactions.
// Backends live in sub-packages (sqlite, postgres) and must pass the
// exported conformance suite in package storetest.
//
// # Aggregates
//
// Each aggregate has a reader (reads, available on a [Store] and in a [Tx])
// and a writer (writes and locking reads, only in a [Tx]):
//
//   - identity ([IdentityReader], [IdentityWriter]): accounts, projects,
//     users, access keys and failed-login records;
//   - keys ([KeyReader], [KeyWriter]): keys with their versions, aliases,
//     tags and grants, and seal reservations;
//   - regions ([RegionReader], [RegionWriter]): the links between a
//     multi-region key and its replicas, and material groups;
//   - keystores ([KeystoreReader], [KeystoreWriter]);
//   - settings ([SettingReader], [SettingWriter]): named opaque server
//     values such as the wrapped token-signing key;
//   - root-wrapped secrets and root-key rotation jobs ([RewrapReader],
//     [RewrapWriter]).
//
// [Reader], [Tx] and [Store] compose them for backends. Consumers declare
// the part they use (package iam an identity store, package service a key
// store) from these interfaces, so that a new aggregate adds an interface
// instead of growing a shared one.
//
// # Error contract
//
// Methods return errors wrapping exactly one of the sentinels below when the
// condition applies (callers test with errors.Is); any other error is an
// infrastructure failure (I/O, connection) and is reported as such.
//
// # Consistency
//
// Every committed [Store.Update] is durable (fsync'd) before it returns nil.
// Reads on a [Store] see every transaction committed before they started.
// Transactions on one store are serializable with respect to each other: a
// backend may achieve this with a database-wide write lock (SQLite) or with
// row locks taken by [KeyWriter.LockProject] and [KeyWriter.GetKeyForUpdate]
// (PostgreSQL).
package store

import (
	"context"
	"errors"
)

// Sentinel errors.
var (
	ErrNotFound = errors.New("store: not found")
	ErrExists   = errors.New("store: already exists") // unique constraint (id, alias, name)
	ErrConflict = errors.New("store: conflict")       // stale revision
)

// Store is the persistent state of kmsd, shared by every node that points at it.
type Store interface {
	Reader
	Runner
	// Close releases the backend's resources.
	Close() error
}

// Runner is the write and change-feed half of a Store. Consumers that
// declare their own narrow reader (iam.Store, service.Store) embed it.
type Runner interface {
	// Update runs fn in one read-write transaction. If fn returns an error (or
	// panics) nothing is written and Update returns that error unchanged.
	// Update never retries fn. Consumers narrow tx to the Tx they declare.
	Update(ctx context.Context, fn func(tx Tx) error) error
	// Watch delivers a Change for every committed write to keys, key
	// versions, aliases, tags, grants, replica links, material groups,
	// keystores, credentials, users, groups, memberships, policies and
	// assignments made by any process
	// sharing the store (in-process only for embedded backends), until ctx
	// ends. Delivery is best effort: on overflow or reconnect the backend
	// sends a Change with Kind ChangeAll, after which consumers must drop
	// every cached entry.
	Watch(ctx context.Context) <-chan Change
}

// Reader holds the read operations of every aggregate, available both on a
// Store and in a Tx.
type Reader interface {
	IdentityReader
	SettingReader
	KeyReader
	RegionReader
	KeystoreReader
	RewrapReader
}

// Tx is a read-write transaction over every aggregate. Its reads see its
// own writes.
//
// A method that fails with a sentinel error has had no effect and the
// transaction remains usable (fn may handle ErrExists and go on); after any
// other error fn should return.
type Tx interface {
	Reader
	IdentityWriter
	SettingWriter
	KeyWriter
	RegionWriter
	KeystoreWriter
	RewrapWriter
}

// ChangeKind says what a Change is about.
type ChangeKind string

// Change kinds.
const (
	ChangeKey        ChangeKind = "key"        // ID is a key id (metadata, versions, aliases, tags, replica links, material group)
	ChangeGrant      ChangeKind = "grant"      // ID is the key id the grant belongs to
	ChangeKeystore   ChangeKind = "keystore"   // ID is a keystore id
	ChangeCredential ChangeKind = "credential" // ID is an access key
	ChangeUser       ChangeKind = "user"       // ID is a user id
	// ChangePermissions: a group, membership, custom policy or assignment
	// changed; ID is the account (domain) id. Consumers drop every
	// cached permission of that account.
	ChangePermissions ChangeKind = "permissions"
	ChangeAll         ChangeKind = "all" // drop every cache entry
)

// Change is an invalidation event.
type Change struct {
	Kind ChangeKind
	ID   string
}
