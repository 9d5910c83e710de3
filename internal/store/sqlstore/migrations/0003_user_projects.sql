-- kmsd schema version 3: a project restriction on users, which binds every
-- credential of the user (access keys and tokens). A JSON list of project
-- ids; "[]" means every project of the account. The Go step of this
-- version (upgrade.go) limits the users whose access keys are all limited.

ALTER TABLE users ADD COLUMN project_ids {{TEXT}} NOT NULL DEFAULT '[]';
