package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/kmsd/kmsd/internal/config"
)

type healthcheckOpts struct {
	url     *string
	timeout *time.Duration
	load    func() (config.Config, error)
}

// healthcheckFlags: --url, --timeout, and the settings that say where the
// node listens (--listen, --tls-cert, --tls-key, with their environment
// variables and --config), so that in a container the command finds the
// node from the environment the node itself reads.
func healthcheckFlags(env Env) (*flag.FlagSet, healthcheckOpts) {
	fs := newFlagSet("kmsd healthcheck", env)
	o := healthcheckOpts{
		url:     fs.String("url", "", "URL to probe; default /healthz at the listen address (a wildcard host probes loopback)"),
		timeout: fs.Duration("timeout", 5*time.Second, "how long to wait for the answer"),
	}
	var where []config.Setting
	for _, s := range config.Settings() {
		if s.Key == "listen" || s.Key == "tls_cert" || s.Key == "tls_key" {
			where = append(where, s)
		}
	}
	o.load = sourceFlags(fs, env, where)
	return fs, o
}

// healthcheck exits 0 when GET /healthz answers 200 within the timeout:
// the HEALTHCHECK of a container image without a shell or curl. Over TLS
// it trusts exactly the certificate the node serves (--tls-cert), whatever
// names it holds, since it calls the node it runs next to.
func healthcheck(ctx context.Context, args []string, env Env) error {
	fs, o := healthcheckFlags(env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New("kmsd healthcheck takes no arguments")
	}
	cfg, err := o.load()
	if err != nil {
		return err
	}
	url := *o.url
	if url == "" {
		if url, err = healthURL(cfg); err != nil {
			return err
		}
	}
	client := &http.Client{Timeout: *o.timeout}
	if cfg.TLSCert != "" {
		tc, err := pinnedTLS(cfg.TLSCert)
		if err != nil {
			return err
		}
		client.Transport = &http.Transport{TLSClientConfig: tc}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(env.Stdout, "ok")
	return nil
}

// healthURL is /healthz at the address the node listens on, with loopback
// for a wildcard host.
func healthURL(cfg config.Config) (string, error) {
	host, port, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return "", fmt.Errorf("healthcheck: listen address %q: %w", cfg.Listen, err)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/healthz", nil
}

// pinnedTLS accepts exactly the first certificate of the PEM file path.
func pinnedTLS(path string) (*tls.Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("healthcheck: TLS certificate: %w", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("healthcheck: TLS certificate %s holds no PEM certificate", path)
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return nil, fmt.Errorf("healthcheck: TLS certificate %s: %w", path, err)
	}
	want := block.Bytes
	return &tls.Config{
		InsecureSkipVerify: true, // replaced by the pin below: the node's own certificate, any name
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 || !bytes.Equal(raw[0], want) {
				return fmt.Errorf("healthcheck: the node does not serve the certificate of %s", path)
			}
			return nil
		},
	}, nil
}
