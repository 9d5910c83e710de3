-- kmsd schema version 1. Types are dialect tokens; times are Unix
-- milliseconds UTC (0 = zero time); string lists are JSON text.

CREATE TABLE accounts (
	id         {{TEXT}} PRIMARY KEY,
	name       {{TEXT}} NOT NULL UNIQUE,
	created_at {{BIGINT}} NOT NULL
);

CREATE TABLE projects (
	id         {{TEXT}} PRIMARY KEY,
	name       {{TEXT}} NOT NULL,
	domain_id  {{TEXT}} NOT NULL REFERENCES accounts (id),
	created_at {{BIGINT}} NOT NULL,
	UNIQUE (domain_id, name)
);

CREATE TABLE users (
	id            {{TEXT}} PRIMARY KEY,
	name          {{TEXT}} NOT NULL,
	domain_id     {{TEXT}} NOT NULL REFERENCES accounts (id),
	password_hash {{TEXT}} NOT NULL,
	created_at    {{BIGINT}} NOT NULL,
	UNIQUE (domain_id, name)
);

CREATE TABLE credentials (
	access_key  {{TEXT}} PRIMARY KEY,
	wrapped_sk  {{BLOB}},
	root_key_id {{TEXT}} NOT NULL,
	user_id     {{TEXT}} NOT NULL REFERENCES users (id),
	domain_id   {{TEXT}} NOT NULL,
	project_ids {{TEXT}} NOT NULL,
	created_at  {{BIGINT}} NOT NULL
);

CREATE INDEX credentials_user ON credentials (user_id);

CREATE TABLE settings (
	name  {{TEXT}} PRIMARY KEY,
	value {{BLOB}}
);

CREATE TABLE keys (
	id                    {{TEXT}} PRIMARY KEY,
	domain_id             {{TEXT}} NOT NULL,
	project_id            {{TEXT}} NOT NULL REFERENCES projects (id),
	key_alias             {{TEXT}} NOT NULL,
	description           {{TEXT}} NOT NULL,
	key_spec              {{TEXT}} NOT NULL,
	key_usage             {{TEXT}} NOT NULL,
	origin                {{TEXT}} NOT NULL,
	key_state             {{TEXT}} NOT NULL,
	is_default            {{BOOL}} NOT NULL,
	created_at            {{BIGINT}} NOT NULL,
	deletion_date         {{BIGINT}} NOT NULL,
	material_expiry       {{BIGINT}} NOT NULL,
	rotation_enabled      {{BOOL}} NOT NULL,
	rotation_interval     {{BIGINT}} NOT NULL,
	last_rotation         {{BIGINT}} NOT NULL,
	rotation_count        {{BIGINT}} NOT NULL,
	primary_version       {{BIGINT}} NOT NULL,
	enterprise_project_id {{TEXT}} NOT NULL,
	keystore_id           {{TEXT}} NOT NULL,
	revision              {{BIGINT}} NOT NULL,
	UNIQUE (project_id, key_alias)
);

CREATE INDEX keys_project_created ON keys (project_id, created_at, id);

CREATE TABLE key_versions (
	key_id      {{TEXT}} NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
	version     {{BIGINT}} NOT NULL,
	wrapped     {{BLOB}},
	root_key_id {{TEXT}} NOT NULL,
	public_key  {{BLOB}},
	created_at  {{BIGINT}} NOT NULL,
	PRIMARY KEY (key_id, version)
);

CREATE TABLE aliases (
	project_id {{TEXT}} NOT NULL REFERENCES projects (id),
	domain_id  {{TEXT}} NOT NULL,
	name       {{TEXT}} NOT NULL,
	key_id     {{TEXT}} NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
	created_at {{BIGINT}} NOT NULL,
	updated_at {{BIGINT}} NOT NULL,
	PRIMARY KEY (project_id, name)
);

CREATE INDEX aliases_key ON aliases (key_id);

CREATE TABLE tags (
	key_id    {{TEXT}} NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
	tag_key   {{TEXT}} NOT NULL,
	tag_value {{TEXT}} NOT NULL,
	PRIMARY KEY (key_id, tag_key)
);

CREATE TABLE grants (
	id                 {{TEXT}} PRIMARY KEY,
	key_id             {{TEXT}} NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
	project_id         {{TEXT}} NOT NULL,
	domain_id          {{TEXT}} NOT NULL,
	name               {{TEXT}} NOT NULL,
	grantee_principal  {{TEXT}} NOT NULL,
	grantee_type       {{TEXT}} NOT NULL,
	retiring_principal {{TEXT}} NOT NULL,
	issuing_principal  {{TEXT}} NOT NULL,
	operations         {{TEXT}} NOT NULL,
	created_at         {{BIGINT}} NOT NULL
);

CREATE INDEX grants_key ON grants (key_id, created_at, id);
CREATE INDEX grants_retiring ON grants (retiring_principal, created_at, id);
