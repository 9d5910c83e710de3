package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/store"
)

// GetAccount implements [store.Reader].
func (r *reader) GetAccount(ctx context.Context, id string) (domain.Account, error) {
	return r.account(ctx, "id", id)
}

// GetAccountByName implements [store.Reader].
func (r *reader) GetAccountByName(ctx context.Context, name string) (domain.Account, error) {
	return r.account(ctx, "name", name)
}

func (r *reader) account(ctx context.Context, col, v string) (domain.Account, error) {
	var a domain.Account
	var created int64
	err := r.q.QueryRowContext(ctx, r.d.rebind("SELECT id, name, created_at FROM accounts WHERE "+col+" = ?"), v).
		Scan(&a.ID, &a.Name, &created)
	if err != nil {
		return domain.Account{}, readErr(err, "get", fmt.Sprintf("account %s %q", col, v))
	}
	a.CreatedAt = fromMS(created)
	return a, nil
}

// CreateAccount implements [store.Tx].
func (t *Tx) CreateAccount(ctx context.Context, a domain.Account) error {
	_, err := t.execChecked(ctx, "INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)",
		a.ID, a.Name, ms(a.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("account %q (%q)", a.ID, a.Name))
	}
	return nil
}

const projectCols = "id, name, domain_id, created_at"

func scanProject(s scanner) (domain.Project, error) {
	var p domain.Project
	var created int64
	if err := s.Scan(&p.ID, &p.Name, &p.DomainID, &created); err != nil {
		return domain.Project{}, err
	}
	p.CreatedAt = fromMS(created)
	return p, nil
}

// GetProject implements [store.Reader].
func (r *reader) GetProject(ctx context.Context, id string) (domain.Project, error) {
	p, err := scanProject(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+projectCols+" FROM projects WHERE id = ?"), id))
	if err != nil {
		return domain.Project{}, readErr(err, "get", fmt.Sprintf("project %q", id))
	}
	return p, nil
}

// ListProjects implements [store.Reader].
func (r *reader) ListProjects(ctx context.Context, domainID, name string) ([]domain.Project, error) {
	q := "SELECT " + projectCols + " FROM projects WHERE 1 = 1"
	var args []any
	if domainID != "" {
		q += " AND domain_id = ?"
		args = append(args, domainID)
	}
	if name != "" {
		q += " AND name = ?"
		args = append(args, name)
	}
	return list(ctx, r, "list projects", q+" ORDER BY name, id", args, scanProject)
}

// CreateProject implements [store.Tx].
func (t *Tx) CreateProject(ctx context.Context, p domain.Project) error {
	_, err := t.execChecked(ctx, "INSERT INTO projects ("+projectCols+") VALUES (?, ?, ?, ?)",
		p.ID, p.Name, p.DomainID, ms(p.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("project %q (%q in domain %q)", p.ID, p.Name, p.DomainID))
	}
	return nil
}

// LockProject implements [store.Tx]: a row lock on the project where the
// dialect has one; under SQLite the transaction already holds the database
// write lock.
func (t *Tx) LockProject(ctx context.Context, projectID string) error {
	ok, err := t.exists(ctx, "SELECT 1 FROM projects WHERE id = ?"+t.d.ForUpdate, projectID)
	if err != nil {
		return fmt.Errorf("store: lock project %q: %w", projectID, err)
	}
	if !ok {
		return notFound(fmt.Sprintf("project %q", projectID))
	}
	return nil
}

const userCols = "id, name, domain_id, password_hash, project_ids, created_at"

// GetUser implements [store.Reader].
func (r *reader) GetUser(ctx context.Context, id string) (domain.User, error) {
	return r.user(ctx, fmt.Sprintf("user %q", id), "id = ?", id)
}

// GetUserByName implements [store.Reader].
func (r *reader) GetUserByName(ctx context.Context, domainID, name string) (domain.User, error) {
	return r.user(ctx, fmt.Sprintf("user %q in domain %q", name, domainID), "domain_id = ? AND name = ?", domainID, name)
}

func (r *reader) user(ctx context.Context, what, where string, args ...any) (domain.User, error) {
	var u domain.User
	var projects string
	var created int64
	err := r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+userCols+" FROM users WHERE "+where), args...).
		Scan(&u.ID, &u.Name, &u.DomainID, &u.PasswordHash, &projects, &created)
	if err != nil {
		return domain.User{}, readErr(err, "get", what)
	}
	if u.ProjectIDs, err = decodeList(projects); err != nil {
		return domain.User{}, fmt.Errorf("store: %s: project ids: %w", what, err)
	}
	u.CreatedAt = fromMS(created)
	return u, nil
}

// CreateUser implements [store.Tx].
func (t *Tx) CreateUser(ctx context.Context, u domain.User) error {
	_, err := t.execChecked(ctx, "INSERT INTO users ("+userCols+") VALUES (?, ?, ?, ?, ?, ?)",
		u.ID, u.Name, u.DomainID, u.PasswordHash, encodeList(u.ProjectIDs), ms(u.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("user %q (%q in domain %q)", u.ID, u.Name, u.DomainID))
	}
	return nil
}

// GetCredential implements [store.Reader].
func (r *reader) GetCredential(ctx context.Context, accessKey string) (domain.Credential, error) {
	var c domain.Credential
	var projects string
	var created int64
	err := r.q.QueryRowContext(ctx, r.d.rebind(
		"SELECT access_key, wrapped_sk, root_key_id, user_id, domain_id, project_ids, created_at FROM credentials WHERE access_key = ?"),
		accessKey).Scan(&c.AccessKey, &c.WrappedSK, &c.RootKeyID, &c.UserID, &c.DomainID, &projects, &created)
	if err != nil {
		return domain.Credential{}, readErr(err, "get", fmt.Sprintf("credential %q", accessKey))
	}
	if c.ProjectIDs, err = decodeList(projects); err != nil {
		return domain.Credential{}, fmt.Errorf("store: credential %q: project ids: %w", accessKey, err)
	}
	c.WrappedSK = blob(c.WrappedSK)
	c.CreatedAt = fromMS(created)
	return c, nil
}

// CreateCredential implements [store.Tx].
func (t *Tx) CreateCredential(ctx context.Context, c domain.Credential) error {
	_, err := t.execChecked(ctx,
		"INSERT INTO credentials (access_key, wrapped_sk, root_key_id, user_id, domain_id, project_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		c.AccessKey, blob(c.WrappedSK), c.RootKeyID, c.UserID, c.DomainID, encodeList(c.ProjectIDs), ms(c.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("credential %q", c.AccessKey))
	}
	t.record(store.ChangeCredential, c.AccessKey)
	return nil
}

// encodeList stores a string list as JSON; nil and empty both become "[]".
func encodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // cannot fail for []string
	return string(b)
}

// decodeList reads a JSON string list; empty reads back as nil.
func decodeList(s string) ([]string, error) {
	var l []string
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, nil
	}
	return l, nil
}
