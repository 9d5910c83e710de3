package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/testkit"
)

// TestImportTokenAnyNode: a token issued by one node is accepted by another
// node sharing the store and root key; the token names the key in its
// header, hides the wrapping key, and is refused when tampered with, used
// for another key or expired.
func TestImportTokenAnyNode(t *testing.T) {
	st, root := sharedStore(t)
	clock := testkit.NewClock(time.Unix(1_700_000_000, 0))
	a, b := newTestService(st, root, clock.Now), newTestService(st, root, clock.Now)
	ctx := context.Background()
	newExternal := func() string {
		k, err := a.CreateKey(ctx, testCaller, NewKey{Alias: "ext-" + rand.Text(), Origin: domain.OriginExternal})
		if err != nil {
			t.Fatal(err)
		}
		return k.ID
	}
	id, other := newExternal(), newExternal()
	p, err := a.GetImportParameters(ctx, testCaller, id, keycrypto.AlgRSAESOAEPSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := keycrypto.ParseHeader(p.Token); err != nil || h.KeyID != id {
		t.Fatalf("token header: %+v %v", h, err)
	}
	tok, err := b.openImportToken(ctx, p.Token)
	if err != nil || tok.KeyID != id || !tok.Expiry.Equal(clock.Now().Add(ImportTokenLifetime)) {
		t.Fatalf("node b opens the token: %+v %v", tok, err)
	}
	if der, _ := x509.MarshalPKCS8PrivateKey(tok.Wrapping); bytes.Contains(p.Token, der[len(der)-64:]) {
		t.Fatal("the wrapping private key is visible in the token")
	}
	tampered := bytes.Clone(p.Token)
	tampered[len(tampered)/2] ^= 1
	material := oaep(t, tok.Wrapping, make([]byte, 32))
	for name, tc := range map[string]struct {
		in   MaterialImport
		want *kmserr.Error
	}{
		"tampered":    {MaterialImport{KeyID: id, Token: tampered, EncryptedMaterial: material}, kmserr.ImportTokenInvalid},
		"other key":   {MaterialImport{KeyID: other, Token: p.Token, EncryptedMaterial: material}, kmserr.ImportTokenKey},
		"not a token": {MaterialImport{KeyID: id, Token: make([]byte, 300), EncryptedMaterial: material}, kmserr.ImportTokenInvalid},
	} {
		if err := b.ImportKeyMaterial(ctx, testCaller, tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %s", name, err, tc.want.Code)
		}
	}
	clock.Advance(ImportTokenLifetime)
	if err := b.ImportKeyMaterial(ctx, testCaller, MaterialImport{KeyID: id, Token: p.Token, EncryptedMaterial: material}); !errors.Is(err, kmserr.ImportTokenExpired) {
		t.Fatalf("expired token: %v", err)
	}
	clock.Advance(-time.Second)
	if err := b.ImportKeyMaterial(ctx, testCaller, MaterialImport{KeyID: id, Token: p.Token, EncryptedMaterial: material}); err != nil {
		t.Fatalf("node b imports with node a's token: %v", err)
	}
}

func oaep(t *testing.T, pub *rsa.PrivateKey, secret []byte) []byte {
	t.Helper()
	ct, err := rsa.EncryptOAEP(sha256.New(), rand.Reader, &pub.PublicKey, secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

// TestImportSecretRace: nodes racing to create the import secret all end
// up with the one that was stored first.
func TestImportSecretRace(t *testing.T) {
	st, root := sharedStore(t)
	nodes := []*Service{newTestService(st, root, nil), newTestService(st, root, nil), newTestService(st, root, nil)}
	secrets := make([][]byte, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Go(func() {
			s, err := n.importSecret(context.Background())
			if err != nil {
				t.Error(err)
			}
			secrets[i] = s
		})
	}
	wg.Wait()
	for i := range secrets {
		if len(secrets[i]) != 32 || !bytes.Equal(secrets[i], secrets[0]) {
			t.Fatalf("node %d has a different import secret", i)
		}
	}
}

// TestDataKeyPairCipherOpens: private_key_cipher_text is a KindData
// envelope of the PKCS#8 key under the CMK's primary version and the AAD.
func TestDataKeyPairCipherOpens(t *testing.T) {
	st, root := sharedStore(t)
	s := newTestService(st, root, nil)
	ctx := context.Background()
	for _, spec := range []domain.KeySpec{domain.SpecAES256, domain.SpecSM4} {
		k, err := s.CreateKey(ctx, testCaller, NewKey{Alias: "cmk-" + string(spec), Spec: spec})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.CreateDataKeyPair(ctx, testCaller, DataKeyPairRequest{KeyRef: k.ID, Op: op.CreateECDatakeyPair,
			Spec: keycrypto.PairECCNISTP256, AAD: []byte("ctx"), WithPlain: true})
		if err != nil {
			t.Fatal(err)
		}
		ck, err := s.load(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := keycrypto.ParseHeader(p.PrivateCipher)
		plain, err := keycrypto.Open(spec, ck.material[1], p.PrivateCipher, []byte("ctx"))
		if err != nil || h.Kind != keycrypto.KindData || h.KeyID != k.ID || !bytes.Equal(plain, p.PrivatePlain) {
			t.Fatalf("%s: kind %d key %s, open: %v", spec, h.Kind, h.KeyID, err)
		}
	}
}
