package wire

import "github.com/kmsd/kmsd/internal/kmserr"

// The Keystone v3 password token request (auth-and-clients.md §3).

// NameID names an IAM object by id or name.
type NameID struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// TokenReq is KeystoneCreateUserTokenByPasswordRequestBody.
type TokenReq struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Name     string `json:"name"`
					ID       string `json:"id"`
					Password string `json:"password"`
					Domain   NameID `json:"domain"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Project *struct {
				NameID
				Domain *NameID `json:"domain"`
			} `json:"project"`
			Domain *NameID `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

// Validate: the one identity method "password" (KMS.0308); the user's
// name, password and domain (name or id) present (KMS.0204).
func (r *TokenReq) Validate() error {
	id := r.Auth.Identity
	if len(id.Methods) != 1 || id.Methods[0] != "password" {
		return kmserr.InvalidParameter.Msgf(`Only the "password" identity method is supported.`)
	}
	u := id.Password.User
	if u.Name == "" || u.Password == "" || (u.Domain.Name == "" && u.Domain.ID == "") {
		return kmserr.MissingParameter.Msgf("auth.identity.password.user needs name, password and domain.")
	}
	return nil
}
