package iam

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/testkit"
)

func newTestService(t testing.TB) *Service {
	t.Helper()
	st, rk := testkit.SQLite(t)
	return New(Options{Store: st, Root: rk})
}

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("s3cret")
	if err != nil || !strings.HasPrefix(h, "$pbkdf2-sha256$i=600000$") {
		t.Fatalf("hash %q %v", h, err)
	}
	if !checkPassword(h, "s3cret") || checkPassword(h, "s3cres") || checkPassword(h, "") {
		t.Fatal("password check is wrong")
	}
	h2, _ := hashPassword("s3cret")
	if h == h2 {
		t.Fatal("no salt")
	}
	for _, bad := range []string{"", "$pbkdf2-sha256$i=x$a$b", "$md5$i=1$a$b", "$pbkdf2-sha256$i=99999999$AA$AA"} {
		if checkPassword(bad, "s3cret") {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestBootstrapIsStableAcrossStarts(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	first, err := s.EnsureBootstrap(ctx, Bootstrap{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Password == "" || !first.CredentialCreated || len(first.AccessKey) != 20 || len(first.SecretKey) != 40 || len(first.ProjectID) != 32 {
		t.Fatalf("first bootstrap: %+v", first)
	}
	again, err := s.EnsureBootstrap(ctx, Bootstrap{})
	if err != nil {
		t.Fatal(err)
	}
	first.Password, first.CredentialCreated = "", false // shown only once
	if again != first {
		t.Fatalf("second start differs:\n%+v\n%+v", again, first)
	}
	if _, _, err := s.Login(ctx, "admin", "", "admin", "wrong"); !errors.Is(err, ErrUnknown) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s.EnsureBootstrap(ctx, Bootstrap{AccessKey: again.AccessKey, SecretKey: "different"}); err == nil {
		t.Fatal("a fixed access key with another secret was accepted")
	}
}

func TestSecretKeysAreStoredWrapped(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t)
	res, err := s.EnsureBootstrap(ctx, Bootstrap{AccessKey: "AKAKAKAKAKAKAKAKAKAK", SecretKey: "plain-secret-never-stored"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.store.GetCredential(ctx, res.AccessKey)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(c.WrappedSK), "plain-secret") {
		t.Fatal("secret key stored in clear")
	}
	sec, err := s.LookupSecret(ctx, res.AccessKey)
	if err != nil || sec.SecretKey != "plain-secret-never-stored" {
		t.Fatalf("lookup: %v", err)
	}
	if _, err := s.LookupSecret(ctx, "NOPE"); !errors.Is(err, ErrUnknown) {
		t.Fatalf("unknown AK: %v", err)
	}
}

func TestRandomStringIsUniform(t *testing.T) {
	counts := map[byte]int{}
	for range 2000 {
		for _, b := range []byte(randomString(akAlphabet, 20)) {
			counts[b]++
		}
	}
	if len(counts) != len(akAlphabet) {
		t.Fatalf("only %d of %d symbols seen", len(counts), len(akAlphabet))
	}
}

// TestCredentialChangeDropsTheCachedSecret: the store's change events reach
// the identity caches, so a changed or removed credential is not served
// from memory.
func TestCredentialChangeDropsTheCachedSecret(t *testing.T) {
	st, rk := testkit.SQLite(t)
	s := New(Options{Store: st, Root: rk})
	ctx := context.Background()
	a, err := s.EnsureAccount(ctx, "acct", "")
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := s.EnsureUser(ctx, a, "u", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.CreateCredential(ctx, u, nil, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LookupSecret(ctx, sec.Credential.AccessKey); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.secrets.get(sec.Credential.AccessKey); !ok {
		t.Fatal("looked-up credential not cached")
	}
	s.apply(store.Change{Kind: store.ChangeCredential, ID: sec.Credential.AccessKey})
	if _, ok := s.secrets.get(sec.Credential.AccessKey); ok {
		t.Fatal("credential still cached after its change event")
	}
	s.LookupSecret(ctx, sec.Credential.AccessKey)
	s.apply(store.Change{Kind: store.ChangeAll})
	if _, ok := s.secrets.get(sec.Credential.AccessKey); ok {
		t.Fatal("credential still cached after ChangeAll")
	}
}
