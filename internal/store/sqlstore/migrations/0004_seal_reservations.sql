-- kmsd schema version 4: how many AES-GCM / SM4-GCM seals have been
-- reserved under each version of a key's material (docs/ciphertext.md §3.1).
-- counter is the id of the key that first had the material (its material
-- group). Rows are never deleted with keys or versions: replicas keep the
-- material, and imported material can be imported again.

CREATE TABLE seal_reservations (
	counter  {{TEXT}} NOT NULL,
	version  {{BIGINT}} NOT NULL,
	reserved {{BIGINT}} NOT NULL,
	PRIMARY KEY (counter, version)
);
