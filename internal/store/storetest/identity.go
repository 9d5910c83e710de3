package storetest

import (
	"testing"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

var identityTests = []subtest{
	{"Accounts", testAccounts},
	{"Projects", testProjects},
	{"Users", testUsers},
	{"Credentials", testCredentials},
	{"Settings", testSettings},
	{"LoginFailures", testLoginFailures},
	{"UserLifecycle", testUserLifecycle},
	{"CredentialLifecycle", testCredentialLifecycle},
	{"Groups", testGroups},
	{"PoliciesAndAssignments", testPoliciesAndAssignments},
}

func testAccounts(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	a := domain.Account{ID: newID(), Name: "Acct-" + newID(), CreatedAt: base}
	e.do(func(tx store.Tx) error { return tx.CreateAccount(e.ctx, a) })
	a.CreatedAt = ms(a.CreatedAt)
	got, err := s.GetAccount(e.ctx, a.ID)
	noErr(t, err, "GetAccount")
	equal(t, got, a, "GetAccount")
	got, err = s.GetAccountByName(e.ctx, a.Name)
	noErr(t, err, "GetAccountByName")
	equal(t, got, a, "GetAccountByName")

	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateAccount(e.ctx, domain.Account{ID: a.ID, Name: "other-" + newID()})
	}), store.ErrExists, "CreateAccount same id")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateAccount(e.ctx, domain.Account{ID: newID(), Name: a.Name})
	}), store.ErrExists, "CreateAccount same name")
	_, err = s.GetAccount(e.ctx, newID())
	isErr(t, err, store.ErrNotFound, "GetAccount unknown")
	_, err = s.GetAccountByName(e.ctx, "acct-"+newID())
	isErr(t, err, store.ErrNotFound, "GetAccountByName unknown")
	_, err = s.GetAccountByName(e.ctx, a.Name[:5])
	isErr(t, err, store.ErrNotFound, "GetAccountByName prefix")

	// Reads inside a transaction.
	e.do(func(tx store.Tx) error {
		got, err := tx.GetAccount(e.ctx, a.ID)
		noErr(t, err, "tx.GetAccount")
		equal(t, got, a, "tx.GetAccount")
		return nil
	})
}

func testProjects(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := newEnv(t, s)
	// Byte order: "B" < "a" < "b"; equal names in different domains.
	pb := e.project(e.acct.ID, "b-"+e.acct.ID)
	pB := e.project(e.acct.ID, "B-"+e.acct.ID)
	pa := e.project(e.acct.ID, "a-"+e.acct.ID)
	po := e.project(other.acct.ID, "b-"+e.acct.ID)

	got, err := s.GetProject(e.ctx, pb.ID)
	noErr(t, err, "GetProject")
	equal(t, got, pb, "GetProject")

	list, err := s.ListProjects(e.ctx, e.acct.ID, "")
	noErr(t, err, "ListProjects domain")
	equal(t, list, []domain.Project{pB, pa, pb, e.proj}, "ListProjects(domain) ordered by name")

	list, err = s.ListProjects(e.ctx, "", "b-"+e.acct.ID)
	noErr(t, err, "ListProjects name")
	want := []domain.Project{pb, po}
	if po.ID < pb.ID {
		want = []domain.Project{po, pb}
	}
	equal(t, list, want, "ListProjects(name) ordered by name then id")

	list, err = s.ListProjects(e.ctx, other.acct.ID, "b-"+e.acct.ID)
	noErr(t, err, "ListProjects domain+name")
	equal(t, list, []domain.Project{po}, "ListProjects(domain, name)")

	list, err = s.ListProjects(e.ctx, newID(), "")
	noErr(t, err, "ListProjects unknown domain")
	if len(list) != 0 {
		t.Errorf("ListProjects(unknown domain) = %v, want none", list)
	}

	list, err = s.ListProjects(e.ctx, "", "")
	noErr(t, err, "ListProjects all")
	var mine []domain.Project
	for _, p := range list {
		if p.DomainID == e.acct.ID {
			mine = append(mine, p)
		}
	}
	equal(t, mine, []domain.Project{pB, pa, pb, e.proj}, "ListProjects(all) restricted to one domain")

	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateProject(e.ctx, domain.Project{ID: pb.ID, Name: "x-" + newID(), DomainID: e.acct.ID})
	}), store.ErrExists, "CreateProject same id")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateProject(e.ctx, domain.Project{ID: newID(), Name: pb.Name, DomainID: e.acct.ID})
	}), store.ErrExists, "CreateProject same domain and name")
	_, err = s.GetProject(e.ctx, newID())
	isErr(t, err, store.ErrNotFound, "GetProject unknown")
}

func testUsers(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	other := newEnv(t, s)
	u := domain.User{ID: newID(), Name: "alice", DomainID: e.acct.ID, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
		ProjectIDs: []string{e.proj.ID, "p2"}, CreatedAt: base}
	u2 := domain.User{ID: newID(), Name: "alice", DomainID: other.acct.ID, CreatedAt: base}
	e.do(func(tx store.Tx) error {
		if err := tx.CreateUser(e.ctx, u); err != nil {
			return err
		}
		return tx.CreateUser(e.ctx, u2)
	})
	u.CreatedAt, u2.CreatedAt = ms(u.CreatedAt), ms(u2.CreatedAt)
	got, err := s.GetUser(e.ctx, u.ID)
	noErr(t, err, "GetUser")
	equal(t, got, u, "GetUser")
	got, err = s.GetUserByName(e.ctx, other.acct.ID, "alice")
	noErr(t, err, "GetUserByName")
	equal(t, got, u2, "GetUserByName")

	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateUser(e.ctx, domain.User{ID: u.ID, Name: "bob", DomainID: e.acct.ID})
	}), store.ErrExists, "CreateUser same id")
	isErr(t, e.txErr(func(tx store.Tx) error {
		return tx.CreateUser(e.ctx, domain.User{ID: newID(), Name: "alice", DomainID: e.acct.ID})
	}), store.ErrExists, "CreateUser same domain and name")
	_, err = s.GetUser(e.ctx, newID())
	isErr(t, err, store.ErrNotFound, "GetUser unknown")
	_, err = s.GetUserByName(e.ctx, e.acct.ID, "bob")
	isErr(t, err, store.ErrNotFound, "GetUserByName unknown name")
	_, err = s.GetUserByName(e.ctx, newID(), "alice")
	isErr(t, err, store.ErrNotFound, "GetUserByName unknown domain")
}

func testCredentials(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	u := domain.User{ID: newID(), Name: "svc", DomainID: e.acct.ID, PasswordHash: "x", CreatedAt: base}
	mk := func(projects []string, sk []byte) domain.Credential {
		return domain.Credential{AccessKey: "AK" + newID()[:18], WrappedSK: sk, RootKeyID: "root-1",
			UserID: u.ID, DomainID: e.acct.ID, ProjectIDs: projects, CreatedAt: base}
	}
	full := mk([]string{e.proj.ID, "p2"}, []byte{0, 1, 2, 255})
	nilList := mk(nil, []byte{9})
	emptyList := mk([]string{}, []byte{})
	e.do(func(tx store.Tx) error {
		if err := tx.CreateUser(e.ctx, u); err != nil {
			return err
		}
		for _, c := range []domain.Credential{full, nilList, emptyList} {
			if err := tx.CreateCredential(e.ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	for _, tc := range []struct {
		name string
		in   domain.Credential
		want domain.Credential
	}{
		{"full", full, full},
		{"nil project ids", nilList, nilList},
		// Empty slices read back as nil.
		{"empty project ids and secret", emptyList, func(c domain.Credential) domain.Credential {
			c.ProjectIDs, c.WrappedSK = nil, nil
			return c
		}(emptyList)},
	} {
		got, err := s.GetCredential(e.ctx, tc.in.AccessKey)
		noErr(t, err, "GetCredential "+tc.name)
		tc.want.CreatedAt = ms(tc.want.CreatedAt)
		equal(t, got, tc.want, "GetCredential "+tc.name)
	}
	isErr(t, e.txErr(func(tx store.Tx) error { return tx.CreateCredential(e.ctx, full) }),
		store.ErrExists, "CreateCredential same access key")
	_, err := s.GetCredential(e.ctx, "AK-unknown-"+newID())
	isErr(t, err, store.ErrNotFound, "GetCredential unknown")
}

func testSettings(t *testing.T, s store.Store) {
	e := newEnv(t, s)
	name := "token-key-" + newID()
	_, err := s.GetSetting(e.ctx, name)
	isErr(t, err, store.ErrNotFound, "GetSetting before put")

	v1 := []byte{0, 1, 2, 0xff}
	e.do(func(tx store.Tx) error { return tx.PutSetting(e.ctx, name, v1, true) })
	got, err := s.GetSetting(e.ctx, name)
	noErr(t, err, "GetSetting")
	equal(t, got, v1, "GetSetting after put")

	isErr(t, e.txErr(func(tx store.Tx) error { return tx.PutSetting(e.ctx, name, []byte("x"), true) }),
		store.ErrExists, "PutSetting onlyIfAbsent on existing")
	got, _ = s.GetSetting(e.ctx, name)
	equal(t, got, v1, "GetSetting after refused put")

	v2 := []byte("second value")
	e.do(func(tx store.Tx) error { return tx.PutSetting(e.ctx, name, v2, false) })
	got, err = s.GetSetting(e.ctx, name)
	noErr(t, err, "GetSetting after overwrite")
	equal(t, got, v2, "GetSetting after overwrite")

	other := "other-" + newID()
	e.do(func(tx store.Tx) error { return tx.PutSetting(e.ctx, other, []byte("o"), false) })
	got, _ = s.GetSetting(e.ctx, other)
	equal(t, got, []byte("o"), "PutSetting !onlyIfAbsent on a new name")

	e.do(func(tx store.Tx) error { return tx.DeleteSetting(e.ctx, name) })
	_, err = s.GetSetting(e.ctx, name)
	isErr(t, err, store.ErrNotFound, "GetSetting after DeleteSetting")
	e.do(func(tx store.Tx) error { return tx.DeleteSetting(e.ctx, name) }) // absent: no error
	got, _ = s.GetSetting(e.ctx, other)
	equal(t, got, []byte("o"), "DeleteSetting removed only its own name")
}
