package rootkey

// CheckSetting is the store setting binding a store to its root key: the
// constant CheckPlain wrapped under the root key, with additional data
// CheckAAD, when the store is initialized. Whoever re-wraps a store's
// secrets under another root key re-wraps it too.
const CheckSetting = "root-key-check"

// The root key check's plaintext and additional data.
var (
	CheckPlain = []byte("kmsd root key check v1")
	CheckAAD   = []byte(CheckSetting)
)
