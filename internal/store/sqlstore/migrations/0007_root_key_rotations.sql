-- kmsd schema version 7: root-key rotation. One row per rotation job from
-- one root key to another (kmsd rootkey rotate): its lease, so that one
-- process runs it at a time across a cluster, and whether it is done, so
-- that it runs once. The indexes find the secrets still wrapped under a
-- root key.

CREATE TABLE root_key_rotations (
	from_key    {{TEXT}} NOT NULL,
	to_key      {{TEXT}} NOT NULL,
	done        {{BOOL}} NOT NULL,
	owner       {{TEXT}} NOT NULL,
	lease_until {{BIGINT}} NOT NULL,
	rewrapped   {{BIGINT}} NOT NULL,
	started_at  {{BIGINT}} NOT NULL,
	finished_at {{BIGINT}} NOT NULL,
	PRIMARY KEY (from_key, to_key)
);

CREATE INDEX IF NOT EXISTS key_versions_root_key ON key_versions (root_key_id, key_id, version);

CREATE INDEX IF NOT EXISTS credentials_root_key ON credentials (root_key_id, access_key);
