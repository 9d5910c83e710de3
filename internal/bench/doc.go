// Package bench is kmsbench, kmsd's load generator, and the "ceiling"
// server it is compared against.
//
// A run creates (unless given) one key for the chosen operation, then drives
// that operation from N workers for a warm-up period and a measured period.
// Each worker owns one keep-alive HTTP connection to one target URL (workers
// are spread round-robin over the URLs) and sends one request at a time,
// signed exactly like huaweicloud-sdk-go-v3 signs it (SDK-HMAC-SHA256, the
// SDK's headers and its JSON encoding with a trailing newline), with a fresh
// X-Sdk-Date per request.
//
// A run always stops by itself: after warm-up plus duration, or after
// MaxRequests requests, whichever comes first; a request that hangs is cut
// off by the per-request timeout. It only ever contacts the URLs it was
// given. Latencies of successful (2xx) responses go into a log-linear
// histogram (relative error below 1/64); every non-2xx response and every
// transport error counts as an error and is reported by status and code.
//
// The ceiling (Ceiling) is the least work a signed encrypt-data can cost in
// Go: read the body, verify the SDK signature, decode the JSON, AES-256-GCM
// seal with a fixed in-memory key through keycrypto.Seal (the same envelope
// kmsd produces) and answer the same JSON shape. kmsd's throughput relative
// to it measures what the service adds: routing, authorization, the key
// cache, validation and auditing.
package bench
