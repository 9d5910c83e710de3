// Package cluster proves that several kmsd nodes on one PostgreSQL database
// behave as one service. It holds only tests (and this comment):
//
//   - a multi-process harness that builds the real kmsd binary once per test
//     binary and runs three "kmsd serve --store postgres" processes on a
//     fresh schema, driven with the official Huawei Cloud SDK: read after
//     write across nodes, the cache invalidation bound, quota and alias races,
//     and SIGKILL of a node under write load;
//   - an in-process harness (three server.Open nodes sharing one schema and
//     one injectable key-lifecycle clock) for what cannot be driven across
//     processes: background jobs acting exactly once per due item while nodes
//     start and stop, and a concurrent bootstrap.
//
// Every test but the SQLite ones (the crash test, backup and restore, the
// root-key rotation crash tests) needs PostgreSQL: it takes a fresh
// schema from pgtest.DSN, which skips when the server is unreachable (the
// package then fails with a summary unless KMSD_REQUIRE_POSTGRES=0; see
// package testkit/deps) and fails at once when KMSD_REQUIRE_POSTGRES=1 (CI).
// Every test that SIGKILLs a process has Crash in its name (-run Crash).
// The guarantees proven here are documented in docs/deploy.md.
package cluster
