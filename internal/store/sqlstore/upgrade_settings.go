package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Settings in which versions 1 to 4 kept keystores, replica links and
// material groups (the service wrote them; version 5 has tables).
const (
	legacyKeystore      = "keystore:"       // keystore:<project>:<id> = JSON legacyKeystoreJSON
	legacyKeystoreIndex = "keystores:"      // keystores:<project> = JSON list of ids, in creation order
	legacyKeystoreAlias = "keystore-alias:" // keystore-alias:<domain>:<alias> = id (now the unique index)
	legacyReplicaOf     = "replica-of:"     // replica-of:<replica> = primary id
	legacyReplicas      = "replicas:"       // replicas:<primary> = JSON map region -> replica id
	legacyMaterialGroup = "material-group:" // material-group:<replica> = group id
)

type legacyKeystoreJSON struct {
	ID        string    `json:"id"`
	DomainID  string    `json:"domain_id"`
	ProjectID string    `json:"project_id"`
	Alias     string    `json:"alias"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// legacySettings holds the settings moveSettingsToTables moves, by name.
type legacySettings map[string][]byte

// moveSettingsToTables (version 5) moves keystores, replica links and
// material groups from settings into their tables and deletes those
// settings. Keystores keep the order of their project's index. Links
// whose replica or primary was deleted are dropped (they had no effect:
// the service ignored them); material groups are kept, deleted keys' too.
func moveSettingsToTables(ctx context.Context, tx *sql.Tx, d *Dialect) error {
	r := &reader{q: tx, d: d}
	old, err := readLegacySettings(ctx, r)
	if err != nil {
		return err
	}
	for _, step := range []func(context.Context, *reader, legacySettings) error{moveKeystores, moveReplicaLinks, moveMaterialGroups} {
		if err := step(ctx, r, old); err != nil {
			return fmt.Errorf("store: move settings to tables: %w", err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(old)) {
		if _, err := tx.ExecContext(ctx, d.rebind("DELETE FROM settings WHERE name = ?"), name); err != nil {
			return fmt.Errorf("store: delete setting %q: %w", name, err)
		}
	}
	return nil
}

func readLegacySettings(ctx context.Context, r *reader) (legacySettings, error) {
	type setting struct {
		name  string
		value []byte
	}
	rows, err := list(ctx, r, "read settings", "SELECT name, value FROM settings WHERE name LIKE 'keystore%' OR name LIKE 'replica%' OR name LIKE 'material-group:%'",
		nil, func(s scanner) (st setting, err error) { return st, s.Scan(&st.name, &st.value) })
	if err != nil {
		return nil, err
	}
	old := legacySettings{}
	for _, st := range rows {
		for _, prefix := range []string{legacyKeystore, legacyKeystoreIndex, legacyKeystoreAlias, legacyReplicaOf, legacyReplicas, legacyMaterialGroup} {
			if strings.HasPrefix(st.name, prefix) {
				old[st.name] = st.value
			}
		}
	}
	return old, nil
}

// with calls fn with the rest of every name of old that starts with prefix, in order.
func (old legacySettings) with(prefix string, fn func(rest string, value []byte) error) error {
	for _, name := range slices.Sorted(maps.Keys(old)) {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if err := fn(rest, old[name]); err != nil {
				return fmt.Errorf("setting %q: %w", name, err)
			}
		}
	}
	return nil
}

func moveKeystores(ctx context.Context, r *reader, old legacySettings) error {
	var all []legacyKeystoreJSON
	err := old.with(legacyKeystore, func(_ string, v []byte) error {
		var ks legacyKeystoreJSON
		if err := json.Unmarshal(v, &ks); err != nil {
			return err
		}
		all = append(all, ks)
		return nil
	})
	if err != nil {
		return err
	}
	order := map[string]int{} // keystore id -> position in its project's index
	err = old.with(legacyKeystoreIndex, func(_ string, v []byte) error {
		var ids []string
		if err := json.Unmarshal(v, &ids); err != nil {
			return err
		}
		for i, id := range ids {
			order[id] = i
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Indexed keystores in index order, then any the index missed.
	slices.SortStableFunc(all, func(a, b legacyKeystoreJSON) int {
		ia, oka := order[a.ID]
		ib, okb := order[b.ID]
		switch {
		case oka && okb:
			return ia - ib
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	for i, ks := range all {
		_, err := r.q.ExecContext(ctx, r.d.rebind("INSERT INTO keystores (id, domain_id, project_id, alias, state, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)"),
			ks.ID, ks.DomainID, ks.ProjectID, ks.Alias, ks.State, ms(ks.CreatedAt), int64(i+1))
		if err != nil {
			return fmt.Errorf("keystore %q: %w", ks.ID, err)
		}
	}
	return nil
}

func moveReplicaLinks(ctx context.Context, r *reader, old legacySettings) error {
	regions := map[string]string{} // replica -> its region in its primary's map
	err := old.with(legacyReplicas, func(_ string, v []byte) error {
		var reps map[string]string
		if err := json.Unmarshal(v, &reps); err != nil {
			return err
		}
		for region, id := range reps {
			regions[id] = region
		}
		return nil
	})
	if err != nil {
		return err
	}
	return old.with(legacyReplicaOf, func(replica string, v []byte) error {
		primary := string(v)
		live, err := liveKeys(ctx, r, replica, primary)
		if err != nil || !live {
			return err
		}
		region, ok := regions[replica]
		if !ok { // not in its primary's map: the region is its project's name
			err := r.q.QueryRowContext(ctx, r.d.rebind("SELECT p.name FROM keys k JOIN projects p ON p.id = k.project_id WHERE k.id = ?"), replica).Scan(&region)
			if err != nil {
				return err
			}
		}
		_, err = r.q.ExecContext(ctx, r.d.rebind("INSERT INTO replica_links (key_id, primary_id, region) VALUES (?, ?, ?)"), replica, primary, region)
		return err
	})
}

// liveKeys reports whether every one of ids is a key.
func liveKeys(ctx context.Context, r *reader, ids ...string) (bool, error) {
	for _, id := range ids {
		ok, err := r.exists(ctx, "SELECT 1 FROM keys WHERE id = ?", id)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func moveMaterialGroups(ctx context.Context, r *reader, old legacySettings) error {
	return old.with(legacyMaterialGroup, func(key string, v []byte) error {
		_, err := r.q.ExecContext(ctx, r.d.rebind("INSERT INTO material_groups (key_id, group_id) VALUES (?, ?)"), key, string(v))
		return err
	})
}
