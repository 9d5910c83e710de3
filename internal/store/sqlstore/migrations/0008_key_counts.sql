-- kmsd schema version 8: maintained key counts and the indexes of the
-- filtered key lists, so that the CMK quota, list-keys' total and a page of
-- keys cost the same whatever the number of keys in the project.
--
-- key_counts holds the number of keys of a project per (key_spec,
-- key_state, is_default). Every write of the keys table updates it in the
-- same transaction; rows may hold 0.
CREATE TABLE key_counts (
	project_id {{TEXT}} NOT NULL,
	key_spec   {{TEXT}} NOT NULL,
	key_state  {{TEXT}} NOT NULL,
	is_default {{BOOL}} NOT NULL,
	n          {{BIGINT}} NOT NULL,
	PRIMARY KEY (project_id, key_spec, key_state, is_default)
);

INSERT INTO key_counts (project_id, key_spec, key_state, is_default, n)
	SELECT project_id, key_spec, key_state, is_default, COUNT(*) FROM keys
	GROUP BY project_id, key_spec, key_state, is_default;

-- list-keys filters by key_spec (AES_256 unless the client asks for ALL),
-- key_state, or both, in creation order.
CREATE INDEX keys_project_spec_created ON keys (project_id, key_spec, created_at, id);
CREATE INDEX keys_project_state_created ON keys (project_id, key_state, created_at, id);
CREATE INDEX keys_project_spec_state_created ON keys (project_id, key_spec, key_state, created_at, id);

-- tag_counts holds, per project, how many keys carry each (tag key, tag
-- value), so that list-kms-tags reads the distinct tags, not every key.
CREATE TABLE tag_counts (
	project_id {{TEXT}} NOT NULL,
	tag_key    {{TEXT}} NOT NULL,
	tag_value  {{TEXT}} NOT NULL,
	n          {{BIGINT}} NOT NULL,
	PRIMARY KEY (project_id, tag_key, tag_value)
);

INSERT INTO tag_counts (project_id, tag_key, tag_value, n)
	SELECT k.project_id, t.tag_key, t.tag_value, COUNT(*) FROM tags t JOIN keys k ON k.id = t.key_id
	GROUP BY k.project_id, t.tag_key, t.tag_value;

-- resource_instances finds the keys carrying a tag through this index.
CREATE INDEX tags_key_value ON tags (tag_key, tag_value, key_id);

-- The background pass (KeysDue) reads the keys needing work through these
-- partial indexes, which hold only keys pending deletion, keys with
-- rotation enabled, and external keys whose material expires: a key
-- created with the defaults enters none of them.
CREATE INDEX keys_due_deletion ON keys (deletion_date, id) WHERE key_state = '4';
CREATE INDEX keys_due_rotation ON keys (id) WHERE rotation_enabled = TRUE AND key_state = '2';
CREATE INDEX keys_due_expiry ON keys (material_expiry, id)
	WHERE origin = 'external' AND key_state IN ('2', '3') AND material_expiry <> 0;
