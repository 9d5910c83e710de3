-- kmsd schema version 2: failed password logins per login name, for the
-- lockout policy (docs/security.md §4). Times are Unix milliseconds UTC.

CREATE TABLE login_failures (
	login        {{TEXT}} PRIMARY KEY,
	failures     {{BIGINT}} NOT NULL,
	window_start {{BIGINT}} NOT NULL,
	locked_until {{BIGINT}} NOT NULL,
	expires_at   {{BIGINT}} NOT NULL
);

CREATE INDEX login_failures_expiry ON login_failures (expires_at);
