package service

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/keycrypto"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/op"
	"github.com/kmsd/kmsd/internal/rootkey"
	"github.com/kmsd/kmsd/internal/store"
	"github.com/kmsd/kmsd/internal/testkit"
)

func sealService(st store.Store, root rootkey.RootKey, l SealLimits) *Service {
	return New(Options{Store: st, Root: root, Seals: l, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// TestSealCountersHandOutExactlyTheLimit: goroutines on two nodes sharing
// one store take seals of one key version until refused; together they get
// exactly Limit seals (blocks of 7 do not divide 1000: the last block is
// cut short), and every refusal is KMS.2109.
func TestSealCountersHandOutExactlyTheLimit(t *testing.T) {
	st, _ := sharedStore(t)
	const limit = 1000
	nodes := []*sealCounters{newSealCounters(st, SealLimits{Limit: limit, Block: 7}), newSealCounters(st, SealLimits{Limit: limit, Block: 7})}
	var taken atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for {
				_, err := nodes[g%2].take(context.Background(), "0d0466b0-e727-4d9c-b35d-f84bb474a37f", 1)
				if err != nil {
					if !errors.Is(err, kmserr.SealLimit) {
						t.Errorf("take: %v, want KMS.2109", err)
					}
					return
				}
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	if n := taken.Load(); n != limit {
		t.Fatalf("%d seals handed out, want exactly %d", n, limit)
	}
}

// TestSealLimitRotatesGeneratedKey: a key whose material kmsd generated is
// rotated once its primary version has reserved half the limit, before any
// encryption is refused; every ciphertext still decrypts, and no version
// seals more than the limit.
func TestSealLimitRotatesGeneratedKey(t *testing.T) {
	st, root := sharedStore(t)
	s := sealService(st, root, SealLimits{Limit: 40, Block: 4})
	ctx := context.Background()
	k, err := s.CreateKey(ctx, testCaller, NewKey{Alias: "busy"})
	if err != nil {
		t.Fatal(err)
	}
	perVersion := map[uint32]int{}
	var cts [][]byte
	for i := range 100 {
		ct, err := s.EncryptData(ctx, testCaller, EncryptInput{KeyRef: k.ID, Plaintext: []byte{byte(i)}})
		if err != nil {
			t.Fatalf("encryption %d: %v", i, err)
		}
		h, _ := keycrypto.ParseHeader(ct.Blob)
		perVersion[h.Version]++
		cts = append(cts, ct.Blob)
	}
	for v, n := range perVersion {
		if n > 40 {
			t.Errorf("version %d sealed %d messages, limit 40", v, n)
		}
	}
	got, _ := s.DescribeKey(ctx, testCaller, k.ID)
	if got.PrimaryVersion < 3 || got.RotationCount != got.PrimaryVersion-1 || len(perVersion) != got.PrimaryVersion {
		t.Fatalf("after 100 seals at a limit of 40: primary version %d, %d rotations, versions used %v",
			got.PrimaryVersion, got.RotationCount, perVersion)
	}
	for i, ct := range cts {
		pt, err := s.DecryptData(ctx, testCaller, DecryptInput{Ciphertext: ct})
		if err != nil || !bytes.Equal(pt.Data, []byte{byte(i)}) {
			t.Fatalf("ciphertext %d after rotations: %v", i, err)
		}
	}
}

// TestSealLimitRefusesImportedKey: imported material cannot be replaced, so
// after Limit seals through any of the sealing operations encryption is
// refused with KMS.2109 while decryption goes on; deleting and re-importing
// the same material does not reset the count, nor does a restart (a new
// Service on the same store).
func TestSealLimitRefusesImportedKey(t *testing.T) {
	st, root := sharedStore(t)
	limits := SealLimits{Limit: 12, Block: 5}
	s := sealService(st, root, limits)
	ctx := context.Background()
	k, err := s.CreateKey(ctx, testCaller, NewKey{Alias: "imported", Origin: domain.OriginExternal})
	if err != nil {
		t.Fatal(err)
	}
	material := bytes.Repeat([]byte{7}, 32)
	importMaterial(t, s, k.ID, material)
	dek := bytes.Repeat([]byte{1}, 32)
	ops := []func() error{
		func() error {
			_, err := s.EncryptData(ctx, testCaller, EncryptInput{KeyRef: k.ID, Plaintext: []byte("x")})
			return err
		},
		func() error { _, err := s.CreateDatakey(ctx, testCaller, k.ID, 32, nil, true); return err },
		func() error {
			_, err := s.EncryptDatakey(ctx, testCaller, k.ID, dek, keycrypto.DataKeyDigest(k.Spec, dek), nil)
			return err
		},
		func() error {
			_, err := s.CreateDataKeyPair(ctx, testCaller, DataKeyPairRequest{KeyRef: k.ID, Op: op.CreateECDatakeyPair, Spec: keycrypto.PairECCNISTP256})
			return err
		},
	}
	first, err := s.EncryptData(ctx, testCaller, EncryptInput{KeyRef: k.ID, Plaintext: []byte("first")})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops[:2] {
		if err := op(); err != nil {
			t.Fatal(err)
		}
	}
	importMaterial(t, s, k.ID, nil)       // delete and import the same material again
	s = sealService(st, root, limits)     // restart: the first node forfeits the rest of its block
	seals := 3 + sealUntilRefused(t, ops) // the first node sealed 3 times
	if seals > 12 || seals < 12-(5-1) {
		t.Fatalf("%d seals before KMS.2109, want at most 12 and at least 8", seals)
	}
	if _, err := s.DecryptData(ctx, testCaller, DecryptInput{Ciphertext: first.Blob}); err != nil {
		t.Fatalf("decryption after the limit: %v", err)
	}
	got, _ := s.DescribeKey(ctx, testCaller, k.ID)
	if got.PrimaryVersion != 1 || got.RotationCount != 0 {
		t.Fatalf("imported key rotated: %+v", got)
	}
}

// sealUntilRefused runs ops in turn until one fails with KMS.2109 and
// returns how many succeeded.
func sealUntilRefused(t *testing.T, ops []func() error) int {
	t.Helper()
	for n := 0; n < 1000; n++ {
		err := ops[n%len(ops)]()
		if errors.Is(err, kmserr.SealLimit) {
			return n
		}
		if err != nil {
			t.Fatalf("seal %d: %v", n, err)
		}
	}
	t.Fatal("never refused")
	return 0
}

// importMaterial imports material into external key id; with nil material
// it deletes the key's material and imports it again.
func importMaterial(t *testing.T, s *Service, id string, material []byte) {
	t.Helper()
	ctx := context.Background()
	if material == nil {
		if err := s.DeleteImportedMaterial(ctx, testCaller, id); err != nil {
			t.Fatal(err)
		}
		material = bytes.Repeat([]byte{7}, 32)
	}
	p, err := s.GetImportParameters(ctx, testCaller, id, keycrypto.AlgRSAESOAEPSHA256)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.openImportToken(ctx, p.Token)
	if err != nil {
		t.Fatal(err)
	}
	err = s.ImportKeyMaterial(ctx, testCaller, MaterialImport{KeyID: id, Token: p.Token, EncryptedMaterial: oaep(t, tok.Wrapping, material)})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSealCountSharedWithReplicas: a replica holds its primary's material,
// so seals through either count against one total: 8 seals on each side
// cross half of a limit of 20 and rotate a key, which separate counts of
// 8 never would.
func TestSealCountSharedWithReplicas(t *testing.T) {
	st, root := sharedStore(t)
	ctx := context.Background()
	region2 := domain.Caller{UserID: testCaller.UserID, DomainID: testCaller.DomainID,
		ProjectID: "p0000000000000000000000000000002", Region: "local-2"}
	err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateProject(ctx, domain.Project{ID: region2.ProjectID, Name: region2.Region, DomainID: region2.DomainID})
	})
	if err != nil {
		t.Fatal(err)
	}
	s := sealService(st, root, SealLimits{Limit: 20, Block: 2})
	p, err := s.CreateKey(ctx, testCaller, NewKey{Alias: "mrk"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.ReplicateKey(ctx, testCaller, ReplicaInput{KeyID: p.ID, Region: region2.Region, ProjectID: region2.ProjectID, Alias: "mrk"})
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []struct {
		c  domain.Caller
		id string
	}{{testCaller, p.ID}, {region2, r.ID}} {
		for range 8 {
			if _, err := s.EncryptData(ctx, side.c, EncryptInput{KeyRef: side.id, Plaintext: []byte("x")}); err != nil {
				t.Fatal(err)
			}
		}
	}
	kp, _ := s.DescribeKey(ctx, testCaller, p.ID)
	kr, _ := s.DescribeKey(ctx, region2, r.ID)
	if kp.RotationCount+kr.RotationCount == 0 {
		t.Fatal("16 seals of one material at a limit of 20 rotated nothing: replicas are counted apart")
	}
}

// BenchmarkSealTake is the hot-path cost of counting one seal, with the
// store write of each 65536-seal block included (go test -bench SealTake).
func BenchmarkSealTake(b *testing.B) {
	st, _ := testkit.SQLite(b)
	c := newSealCounters(st, SealLimits{Limit: 1 << 62})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.take(context.Background(), "0d0466b0-e727-4d9c-b35d-f84bb474a37f", 1); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
