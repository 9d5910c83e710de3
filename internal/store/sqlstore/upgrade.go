package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"time"
)

// dataSteps are the Go steps of migrations: each runs in the migration
// transaction right after the SQL of its version, for changes of data that
// SQL shared by every dialect cannot express. Like migration files, a
// released step is never changed.
var dataSteps = map[int64]func(ctx context.Context, tx *sql.Tx, d *Dialect) error{
	3: limitUsersToTheirKeys,
	5: moveSettingsToTables,
	6: adminGroupsForExistingUsers,
}

// adminGroupsForExistingUsers (version 6) gives every account that has
// users an admin group holding all of them: before version 6 every
// credential could do everything in its account, and an upgrade must not
// lock anyone out. Administrators then narrow it down through IAM.
func adminGroupsForExistingUsers(ctx context.Context, tx *sql.Tx, d *Dialect) error {
	r := &reader{q: tx, d: d}
	type member struct{ user, domain string }
	users, err := list(ctx, r, "read users", "SELECT id, domain_id FROM users ORDER BY domain_id, id", nil,
		func(s scanner) (m member, err error) { return m, s.Scan(&m.user, &m.domain) })
	if err != nil {
		return fmt.Errorf("store: admin groups: %w", err)
	}
	groups := map[string]string{}
	for _, m := range users {
		g, ok := groups[m.domain]
		if !ok {
			g = randomID()
			groups[m.domain] = g
			if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO iam_groups (id, domain_id, name, description, created_at) "+
				"VALUES (?, ?, 'admin', 'Administrators of the account: every permission.', ?)"), g, m.domain,
				time.Now().UnixMilli()); err != nil {
				return fmt.Errorf("store: admin group of account %q: %w", m.domain, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.rebind("INSERT INTO iam_group_members (group_id, user_id) VALUES (?, ?)"),
			g, m.user); err != nil {
			return fmt.Errorf("store: admin group member %q: %w", m.user, err)
		}
	}
	return nil
}

// randomID returns 32 random lowercase hex characters.
func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// limitUsersToTheirKeys (version 3) limits each user whose access keys are
// all limited to projects to the union of those projects. Before version 3
// project lists lived only on access keys, so such a user's password token
// reached every project of the account while its keys did not. A user with
// an unlimited key, or with none, keeps reaching every project.
func limitUsersToTheirKeys(ctx context.Context, tx *sql.Tx, d *Dialect) error {
	reach, err := keyReach(ctx, &reader{q: tx, d: d})
	if err != nil {
		return fmt.Errorf("store: limit users to their keys: %w", err)
	}
	for _, user := range slices.Sorted(maps.Keys(reach)) {
		if reach[user] == nil {
			continue // an unlimited key
		}
		_, err := tx.ExecContext(ctx, d.rebind("UPDATE users SET project_ids = ? WHERE id = ?"), encodeList(reach[user]), user)
		if err != nil {
			return fmt.Errorf("store: limit user %q to its keys' projects: %w", user, err)
		}
	}
	return nil
}

// keyReach returns, per user with access keys, the sorted union of their
// project lists, or nil when one of them is unlimited.
func keyReach(ctx context.Context, r *reader) (map[string][]string, error) {
	type userList struct{ user, list string }
	creds, err := list(ctx, r, "read access keys", "SELECT user_id, project_ids FROM credentials", nil,
		func(s scanner) (c userList, err error) { return c, s.Scan(&c.user, &c.list) })
	if err != nil {
		return nil, err
	}
	reach := map[string][]string{}
	for _, c := range creds {
		projects, err := decodeList(c.list)
		if err != nil {
			return nil, fmt.Errorf("credential of user %q: project ids: %w", c.user, err)
		}
		prev, seen := reach[c.user]
		switch {
		case len(projects) == 0 || (seen && prev == nil):
			reach[c.user] = nil
		default:
			union := append(prev, projects...)
			slices.Sort(union)
			reach[c.user] = slices.Compact(union)
		}
	}
	return reach, nil
}
