package domain

// KeySpec is a key algorithm as named by the API (key_spec).
type KeySpec string

// Key specs accepted by create-key.
const (
	SpecAES256    KeySpec = "AES_256"
	SpecSM4       KeySpec = "SM4"
	SpecRSA2048   KeySpec = "RSA_2048"
	SpecRSA3072   KeySpec = "RSA_3072"
	SpecRSA4096   KeySpec = "RSA_4096"
	SpecECP256    KeySpec = "EC_P256"
	SpecECP384    KeySpec = "EC_P384"
	SpecSECP256K1 KeySpec = "SECP256K1"
	SpecSM2       KeySpec = "SM2"
	SpecHMAC256   KeySpec = "HMAC_256"
	SpecHMAC384   KeySpec = "HMAC_384"
	SpecHMAC512   KeySpec = "HMAC_512"
	SpecHMACSM3   KeySpec = "HMAC_SM3"
)

// KeyUsage is the key_usage of a key.
type KeyUsage string

// Key usages.
const (
	UsageEncryptDecrypt KeyUsage = "ENCRYPT_DECRYPT"
	UsageSignVerify     KeyUsage = "SIGN_VERIFY"
	UsageMAC            KeyUsage = "GENERATE_VERIFY_MAC"
)

// SpecClass groups key specs by the kind of cryptography they do.
type SpecClass int

// Spec classes.
const (
	ClassUnknown SpecClass = iota
	ClassSymmetric
	ClassRSA
	ClassEC // EC_P256, EC_P384, SECP256K1: sign only
	ClassSM2
	ClassHMAC
)

var specClass = map[KeySpec]SpecClass{
	SpecAES256: ClassSymmetric, SpecSM4: ClassSymmetric,
	SpecRSA2048: ClassRSA, SpecRSA3072: ClassRSA, SpecRSA4096: ClassRSA,
	SpecECP256: ClassEC, SpecECP384: ClassEC, SpecSECP256K1: ClassEC,
	SpecSM2:     ClassSM2,
	SpecHMAC256: ClassHMAC, SpecHMAC384: ClassHMAC, SpecHMAC512: ClassHMAC, SpecHMACSM3: ClassHMAC,
}

// AllSpecs lists every key spec create-key accepts, in a stable order.
var AllSpecs = []KeySpec{
	SpecAES256, SpecSM4, SpecRSA2048, SpecRSA3072, SpecRSA4096,
	SpecECP256, SpecECP384, SpecSECP256K1, SpecSM2,
	SpecHMAC256, SpecHMAC384, SpecHMAC512, SpecHMACSM3,
}

// Class returns the spec's class, ClassUnknown for an unknown spec.
func (s KeySpec) Class() SpecClass { return specClass[s] }

// Valid reports whether s is a known key spec.
func (s KeySpec) Valid() bool { return s.Class() != ClassUnknown }

// Asymmetric reports whether the spec has a public key.
func (s KeySpec) Asymmetric() bool {
	c := s.Class()
	return c == ClassRSA || c == ClassEC || c == ClassSM2
}

// DefaultUsage is the usage a key of this spec gets when create-key names none.
func (s KeySpec) DefaultUsage() KeyUsage {
	switch s.Class() {
	case ClassSymmetric:
		return UsageEncryptDecrypt
	case ClassHMAC:
		return UsageMAC
	default:
		return UsageSignVerify
	}
}

// AllowsUsage reports whether a key of this spec may have the given usage
// (management-api.md §8.2).
func (s KeySpec) AllowsUsage(u KeyUsage) bool {
	switch s.Class() {
	case ClassSymmetric:
		return u == UsageEncryptDecrypt
	case ClassRSA, ClassSM2:
		return u == UsageEncryptDecrypt || u == UsageSignVerify
	case ClassEC:
		return u == UsageSignVerify
	case ClassHMAC:
		return u == UsageMAC
	}
	return false
}

// Rotatable reports whether keys of this spec may be rotated automatically:
// only symmetric encryption keys (management-api.md §3.10).
func (s KeySpec) Rotatable() bool { return s.Class() == ClassSymmetric }
