package cli

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// selfSigned writes a self-signed certificate for name, and its key, to dir.
func selfSigned(t *testing.T, dir, name string) (cert, key string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// probe runs "kmsd healthcheck args…" with vars as the environment.
func probe(vars map[string]string, args ...string) (int, string) {
	var out bytes.Buffer
	code := Main(append([]string{"healthcheck"}, args...), Env{Stdout: &out, Stderr: &out,
		Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }})
	return code, out.String()
}

// TestHealthcheck drives "kmsd healthcheck" against a real node, finding
// it as a container's HEALTHCHECK does: from KMSD_LISTEN (a wildcard host
// probes loopback), over TLS from KMSD_TLS_CERT.
func TestHealthcheck(t *testing.T) {
	t.Run("plain", func(t *testing.T) {
		s := startServe(t, nil, "--data", t.TempDir(), "--print-env=false")
		u, _ := url.Parse(s.url)
		_, port, _ := net.SplitHostPort(u.Host)
		if code, out := probe(map[string]string{"KMSD_LISTEN": "0.0.0.0:" + port}); code != 0 || out != "ok\n" {
			t.Errorf("healthy node: exit %d, %q", code, out)
		}
		if code, out := probe(nil, "--url", s.url+"/no-such-path"); code != 1 || !strings.Contains(out, "answered 400") {
			t.Errorf("not 200: exit %d, %q", code, out)
		}
		s.stop()
		if code, out := probe(map[string]string{"KMSD_LISTEN": u.Host}); code != 1 || !strings.Contains(out, "connection refused") {
			t.Errorf("stopped node: exit %d, %q", code, out)
		}
	})
	t.Run("tls", func(t *testing.T) {
		dir := t.TempDir()
		cert, key := selfSigned(t, dir, "kmsd.example")
		other, _ := selfSigned(t, dir, "other.example")
		s := startServe(t, nil, "--data", t.TempDir(), "--print-env=false", "--tls-cert", cert, "--tls-key", key)
		defer s.stop()
		u, _ := url.Parse(s.url)
		if u.Scheme != "https" {
			t.Fatalf("logged %s", s.url)
		}
		vars := map[string]string{"KMSD_LISTEN": u.Host, "KMSD_TLS_CERT": cert, "KMSD_TLS_KEY": key}
		if code, out := probe(vars); code != 0 {
			t.Errorf("TLS node, its certificate (another name than the address): exit %d, %q", code, out)
		}
		vars["KMSD_TLS_CERT"] = other
		if code, out := probe(vars); code != 1 || !strings.Contains(out, "does not serve the certificate") {
			t.Errorf("TLS node, another certificate: exit %d, %q", code, out)
		}
	})
	if code, out := probe(nil, "extra"); code != 1 || !strings.Contains(out, "no arguments") {
		t.Errorf("argument: exit %d, %q", code, out)
	}
}
