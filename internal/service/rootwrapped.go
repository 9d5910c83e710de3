package service

// VersionAAD is the additional data under which version version of key
// keyID's material is wrapped by the root key.
func VersionAAD(keyID string, version int) []byte { return versionAAD(keyID, version) }

// RootWrappedSettings returns the settings this package keeps wrapped under
// the root key, each with its additional data.
func RootWrappedSettings() map[string][]byte {
	return map[string][]byte{importSecretSetting: importSecretAAD}
}
