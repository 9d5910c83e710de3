package keycrypto

import (
	"bytes"
	"errors"
	"os/exec"
	"sync"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/testkit/deps"
)

// Key material is generated once per test binary (RSA_4096 takes seconds).
var fixtures sync.Map // domain.KeySpec -> *fixture

type fixture struct {
	once     sync.Once
	material []byte
	err      error
}

// material returns the shared test key of spec.
func material(t testing.TB, spec domain.KeySpec) []byte {
	t.Helper()
	v, _ := fixtures.LoadOrStore(spec, &fixture{})
	f := v.(*fixture)
	f.once.Do(func() { f.material, f.err = Generate(spec) })
	if f.err != nil {
		t.Fatalf("Generate(%s): %v", spec, f.err)
	}
	return f.material
}

// publicDER returns the SPKI of the shared test key of spec.
func publicDER(t testing.TB, spec domain.KeySpec) []byte {
	t.Helper()
	der, err := PublicKeyDER(spec, material(t, spec))
	if err != nil {
		t.Fatalf("PublicKeyDER(%s): %v", spec, err)
	}
	return der
}

// specsOf lists the specs of the given classes in domain.AllSpecs order.
func specsOf(classes ...domain.SpecClass) []domain.KeySpec {
	var out []domain.KeySpec
	for _, s := range domain.AllSpecs {
		for _, c := range classes {
			if s.Class() == c {
				out = append(out, s)
			}
		}
	}
	return out
}

// wantErr fails unless errors.Is(err, want) (want nil: err must be nil).
func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

// requireOpenSSL returns the openssl path or skips the test through
// deps.OpenSSL.
func requireOpenSSL(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		deps.OpenSSL.Skip(t, "not in PATH; the OpenSSL cross-check did NOT run")
	}
	return p
}

// runOpenSSL runs openssl with args and stdin and returns stdout.
func runOpenSSL(t *testing.T, stdin []byte, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(requireOpenSSL(t), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.Bytes(), errors.New(err.Error() + ": " + errb.String())
	}
	return out.Bytes(), nil
}
