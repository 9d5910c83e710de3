// Package wire holds the request and response bodies of kmsd's API, as the
// Huawei Cloud SDK sends and decodes them: exported types with their JSON
// tags, and on every request type the field rules of Validate.
//
// A request type is decoded (strictly, by internal/api), then validated;
// Validate checks every field before any key is touched, returns a
// *kmserr.Error naming the field, and leaves the parsed values (decoded
// ciphertexts, page bounds, the service's input) for accessor methods,
// which are valid only after Validate returned nil. Requests with URL
// parameters read them in FromURL, before the body.
//
// A request that names the key it acts on reports it with AuditKey, which
// the audit record takes even when the operation then fails; a response of
// an operation that resolves a key reference reports the resolved key, which
// the record takes on success. The package knows nothing of HTTP handling
// beyond reading URL parameters: rendering, errors and the audit record are
// internal/api's.
package wire
