package iam

// SecretKeyAAD is the additional data under which the secret key of access
// key ak is wrapped by the root key.
func SecretKeyAAD(ak string) []byte { return skAAD(ak) }

// RootWrappedSettings returns the settings this package keeps wrapped under
// the root key, each with its additional data.
func RootWrappedSettings() map[string][]byte {
	return map[string][]byte{tokenKeySetting: tokenKeyAAD}
}
