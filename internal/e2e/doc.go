// Package e2e holds kmsd's end-to-end tests: each test starts a real kmsd
// node (the same server.Open/Serve code path as "kmsd serve") on
// 127.0.0.1:0 and drives it with the official Huawei Cloud Go SDK
// (services/kms/v2), plus raw HTTP for what the SDK cannot send (tokens,
// malformed input). The package has no non-test code besides this comment.
package e2e
