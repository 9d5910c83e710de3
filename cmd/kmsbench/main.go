// Command kmsbench is kmsd's load generator: it drives one KMS operation
// from N keep-alive connections for a fixed time, signing every request
// exactly like the Huawei Cloud Go SDK, and prints requests/s, p50 and p99.
// "kmsbench ceiling" serves the bare signed-AES-GCM reference handler;
// "kmsbench prefill" creates many keys in a kmsd store, in-process.
// See internal/bench and docs/performance.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kmsd/kmsd/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bench.Main(ctx, os.Args[1:], bench.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
