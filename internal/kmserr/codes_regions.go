package kmserr

// Multi-region and keystore errors (management-api.md §10-§11; choices in
// docs/regions-and-keystores.md).
var (
	ReplicaReadOnly     = def(bad, "KMS.0106", "The key is a replica: only its primary can do this.")
	ExternalKeystore    = def(bad, "KMS.0339", "External keys cannot be created in a custom keystore.")
	KeystoreUnsupported = def(bad, "KMS.0340", "The keystore type is not supported.")
	KeystoreNotFound    = def(bad, "KMS.8003", "The keystore does not exist.")
)
