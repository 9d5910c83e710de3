// Package domain holds kmsd's core vocabulary: accounts (domains), projects,
// users and credentials, keys and their versions, aliases, tags and grants,
// together with the wire enumerations of the Huawei Cloud KMS API
// (key specs, usages, states) and the pure validation rules that do not need
// storage.
//
// Nothing here performs I/O or cryptography; the service layer combines these
// types with a store, a root key and the crypto package.
package domain
