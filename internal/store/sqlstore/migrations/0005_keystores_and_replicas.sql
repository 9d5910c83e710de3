-- kmsd schema version 5: keystores, the links between multi-region keys
-- and their material groups, which versions 1 to 4 kept as JSON in the
-- settings table. The Go step of this version (upgrade.go) moves those
-- settings into these tables.

-- seq is the creation order within a project (creations hold the
-- project lock). The alias is unique in the account.
CREATE TABLE keystores (
	id         {{TEXT}} PRIMARY KEY,
	project_id {{TEXT}} NOT NULL REFERENCES projects (id),
	domain_id  {{TEXT}} NOT NULL,
	alias      {{TEXT}} NOT NULL,
	state      {{TEXT}} NOT NULL,
	created_at {{BIGINT}} NOT NULL,
	seq        {{BIGINT}} NOT NULL,
	UNIQUE (domain_id, alias)
);

CREATE INDEX keystores_project ON keystores (project_id, seq, id);

-- A replica's link to its current primary. DeleteKey removes the links a
-- key is either end of; the store checks that both keys exist on writes
-- (no foreign keys: they would lock the primary's row against the
-- deletion of a replica).
CREATE TABLE replica_links (
	key_id     {{TEXT}} PRIMARY KEY,
	primary_id {{TEXT}} NOT NULL,
	region     {{TEXT}} NOT NULL
);

CREATE INDEX replica_links_primary ON replica_links (primary_id, region, key_id);

-- The material group of a replica: the id of the key whose material it
-- copies. Rows outlive their keys, like seal_reservations: ciphertexts of
-- a deleted replica still name it.
CREATE TABLE material_groups (
	key_id   {{TEXT}} PRIMARY KEY,
	group_id {{TEXT}} NOT NULL
);
