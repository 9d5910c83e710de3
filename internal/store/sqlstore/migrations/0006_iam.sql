-- kmsd schema version 6: IAM users that can be disabled, access keys that
-- can be deactivated, user groups, custom policies and the assignments of
-- roles and policies to groups (docs/iam.md).
--
-- token_epoch counts the password changes and disablings of a user: a
-- token carries the epoch it was issued under and is refused once the
-- user's epoch has moved on.

ALTER TABLE users ADD COLUMN disabled {{BOOL}} NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN description {{TEXT}} NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN token_epoch {{BIGINT}} NOT NULL DEFAULT 0;

ALTER TABLE credentials ADD COLUMN inactive {{BOOL}} NOT NULL DEFAULT FALSE;
ALTER TABLE credentials ADD COLUMN description {{TEXT}} NOT NULL DEFAULT '';

CREATE TABLE iam_groups (
	id          {{TEXT}} PRIMARY KEY,
	domain_id   {{TEXT}} NOT NULL REFERENCES accounts (id),
	name        {{TEXT}} NOT NULL,
	description {{TEXT}} NOT NULL,
	created_at  {{BIGINT}} NOT NULL,
	UNIQUE (domain_id, name)
);

CREATE TABLE iam_group_members (
	group_id {{TEXT}} NOT NULL REFERENCES iam_groups (id),
	user_id  {{TEXT}} NOT NULL REFERENCES users (id),
	PRIMARY KEY (group_id, user_id)
);

CREATE INDEX iam_group_members_user ON iam_group_members (user_id);

-- Custom policies of an account; the system policies are built in.
-- document is the policy's JSON (Version, Statement).
CREATE TABLE iam_policies (
	id           {{TEXT}} PRIMARY KEY,
	domain_id    {{TEXT}} NOT NULL REFERENCES accounts (id),
	display_name {{TEXT}} NOT NULL,
	type         {{TEXT}} NOT NULL,
	description  {{TEXT}} NOT NULL,
	document     {{TEXT}} NOT NULL,
	created_at   {{BIGINT}} NOT NULL,
	UNIQUE (domain_id, display_name)
);

-- A role or policy granted to a group on a project, or on the whole
-- account when project_id is ''.
CREATE TABLE iam_assignments (
	group_id   {{TEXT}} NOT NULL REFERENCES iam_groups (id),
	role_id    {{TEXT}} NOT NULL,
	project_id {{TEXT}} NOT NULL,
	PRIMARY KEY (group_id, role_id, project_id)
);
