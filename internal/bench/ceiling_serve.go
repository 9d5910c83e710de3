package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// serveCeilingCmd is "kmsbench ceiling": it serves the Ceiling handler on
// --listen until ctx ends, with kmsd's HTTP server timeouts.
func serveCeilingCmd(ctx context.Context, args []string, env Env) error {
	fs := flag.NewFlagSet("kmsbench ceiling", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	listen := fs.String("listen", "127.0.0.1:0", "listen address")
	var cred Credential
	credFlags(fs, &cred)
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	applyCredEnv(&cred, env)
	h, err := NewCeiling(cred.AK, cred.SK)
	if err != nil {
		return usageError{err}
	}
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "ceiling listening on http://%s\n", l.Addr())
	return serveUntil(ctx, l, h)
}

// serveUntil serves h on l until ctx is done, then shuts down gracefully.
func serveUntil(ctx context.Context, l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
