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

const userCols = "id, name, domain_id, password_hash, project_ids, disabled, description, token_epoch, created_at"

// GetUser implements [store.Reader].
func (r *reader) GetUser(ctx context.Context, id string) (domain.User, error) {
	return r.user(ctx, fmt.Sprintf("user %q", id), "id = ?", id)
}

// GetUserByName implements [store.Reader].
func (r *reader) GetUserByName(ctx context.Context, domainID, name string) (domain.User, error) {
	return r.user(ctx, fmt.Sprintf("user %q in domain %q", name, domainID), "domain_id = ? AND name = ?", domainID, name)
}

func (r *reader) user(ctx context.Context, what, where string, args ...any) (domain.User, error) {
	u, err := scanUser(r.q.QueryRowContext(ctx, r.d.rebind("SELECT "+userCols+" FROM users WHERE "+where), args...))
	if err != nil {
		return domain.User{}, readErr(err, "get", what)
	}
	return u, nil
}

func scanUser(s scanner) (domain.User, error) {
	var u domain.User
	var projects string
	var created int64
	if err := s.Scan(&u.ID, &u.Name, &u.DomainID, &u.PasswordHash, &projects, &u.Disabled, &u.Description,
		&u.TokenEpoch, &created); err != nil {
		return domain.User{}, err
	}
	var err error
	if u.ProjectIDs, err = decodeList(projects); err != nil {
		return domain.User{}, fmt.Errorf("user %q: project ids: %w", u.ID, err)
	}
	u.CreatedAt = fromMS(created)
	return u, nil
}

// ListUsers implements [store.Reader].
func (r *reader) ListUsers(ctx context.Context, domainID string) ([]domain.User, error) {
	return list(ctx, r, "list users", "SELECT "+userCols+" FROM users WHERE domain_id = ? ORDER BY name",
		[]any{domainID}, scanUser)
}

// CreateUser implements [store.Tx].
func (t *Tx) CreateUser(ctx context.Context, u domain.User) error {
	_, err := t.execChecked(ctx, "INSERT INTO users ("+userCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		u.ID, u.Name, u.DomainID, u.PasswordHash, encodeList(u.ProjectIDs), u.Disabled, u.Description,
		u.TokenEpoch, ms(u.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("user %q (%q in domain %q)", u.ID, u.Name, u.DomainID))
	}
	return nil
}

// UpdateUser implements [store.Tx].
func (t *Tx) UpdateUser(ctx context.Context, u domain.User) error {
	what := fmt.Sprintf("user %q", u.ID)
	res, err := t.execChecked(ctx, `UPDATE users SET name = ?, password_hash = ?, project_ids = ?, disabled = ?,
		description = ?, token_epoch = ? WHERE id = ?`,
		u.Name, u.PasswordHash, encodeList(u.ProjectIDs), u.Disabled, u.Description, u.TokenEpoch, u.ID)
	if err != nil {
		return t.d.writeErr(err, "update", what)
	}
	if err := mustAffect(res, "update", what); err != nil {
		return err
	}
	t.record(store.ChangeUser, u.ID)
	return nil
}

// DeleteUser implements [store.Tx].
func (t *Tx) DeleteUser(ctx context.Context, id string) error {
	u, err := t.GetUser(ctx, id)
	if err != nil {
		return err
	}
	cs, err := t.ListCredentials(ctx, id)
	if err != nil {
		return err
	}
	for _, q := range []string{"DELETE FROM credentials WHERE user_id = ?", "DELETE FROM iam_group_members WHERE user_id = ?",
		"DELETE FROM users WHERE id = ?"} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return fmt.Errorf("store: delete user %q: %w", id, err)
		}
	}
	for _, c := range cs {
		t.record(store.ChangeCredential, c.AccessKey)
	}
	t.record(store.ChangeUser, id)
	t.record(store.ChangePermissions, u.DomainID)
	return nil
}

const credentialCols = "access_key, wrapped_sk, root_key_id, user_id, domain_id, project_ids, inactive, description, created_at"

func scanCredential(s scanner) (domain.Credential, error) {
	var c domain.Credential
	var projects string
	var created int64
	if err := s.Scan(&c.AccessKey, &c.WrappedSK, &c.RootKeyID, &c.UserID, &c.DomainID, &projects, &c.Inactive,
		&c.Description, &created); err != nil {
		return domain.Credential{}, err
	}
	var err error
	if c.ProjectIDs, err = decodeList(projects); err != nil {
		return domain.Credential{}, fmt.Errorf("credential %q: project ids: %w", c.AccessKey, err)
	}
	c.WrappedSK = blob(c.WrappedSK)
	c.CreatedAt = fromMS(created)
	return c, nil
}

// GetCredential implements [store.Reader].
func (r *reader) GetCredential(ctx context.Context, accessKey string) (domain.Credential, error) {
	c, err := scanCredential(r.q.QueryRowContext(ctx, r.d.rebind(
		"SELECT "+credentialCols+" FROM credentials WHERE access_key = ?"), accessKey))
	if err != nil {
		return domain.Credential{}, readErr(err, "get", fmt.Sprintf("credential %q", accessKey))
	}
	return c, nil
}

// ListCredentials implements [store.Reader].
func (r *reader) ListCredentials(ctx context.Context, userID string) ([]domain.Credential, error) {
	return list(ctx, r, "list credentials", "SELECT "+credentialCols+
		" FROM credentials WHERE user_id = ? ORDER BY created_at, access_key", []any{userID}, scanCredential)
}

// CreateCredential implements [store.Tx].
func (t *Tx) CreateCredential(ctx context.Context, c domain.Credential) error {
	_, err := t.execChecked(ctx,
		"INSERT INTO credentials ("+credentialCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.AccessKey, blob(c.WrappedSK), c.RootKeyID, c.UserID, c.DomainID, encodeList(c.ProjectIDs), c.Inactive,
		c.Description, ms(c.CreatedAt))
	if err != nil {
		return t.d.writeErr(err, "create", fmt.Sprintf("credential %q", c.AccessKey))
	}
	t.record(store.ChangeCredential, c.AccessKey)
	return nil
}

// UpdateCredential implements [store.Tx].
func (t *Tx) UpdateCredential(ctx context.Context, c domain.Credential) error {
	what := fmt.Sprintf("credential %q", c.AccessKey)
	res, err := t.exec(ctx, "UPDATE credentials SET inactive = ?, description = ? WHERE access_key = ?",
		c.Inactive, c.Description, c.AccessKey)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", what, err)
	}
	if err := mustAffect(res, "update", what); err != nil {
		return err
	}
	t.record(store.ChangeCredential, c.AccessKey)
	return nil
}

// DeleteCredential implements [store.Tx].
func (t *Tx) DeleteCredential(ctx context.Context, accessKey string) error {
	what := fmt.Sprintf("credential %q", accessKey)
	res, err := t.exec(ctx, "DELETE FROM credentials WHERE access_key = ?", accessKey)
	if err != nil {
		return fmt.Errorf("store: delete %s: %w", what, err)
	}
	if err := mustAffect(res, "delete", what); err != nil {
		return err
	}
	t.record(store.ChangeCredential, accessKey)
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
