package wire

import (
	"net/http"

	"github.com/kmsd/kmsd/internal/iampolicy"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// The request bodies of the IAM management operations, in the shapes of
// huaweicloud-sdk-go-v3's services/iam/v3/model. Field rules beyond
// presence (name syntax, password policy, lengths) are package iam's.

// UserRef is a user named in the URL ({user_id}).
type UserRef struct {
	UserID string `path:"user_id"`
}

// FromURL implements URLRequest.
func (r *UserRef) FromURL(h *http.Request) error {
	r.UserID = h.PathValue("user_id")
	return required("user_id", r.UserID)
}

// CreateUserReq is KeystoneCreateUserRequestBody.
type CreateUserReq struct {
	User struct {
		Name        string  `json:"name"`
		DomainID    *string `json:"domain_id"`
		Password    *string `json:"password"`
		Enabled     *bool   `json:"enabled"`
		Description *string `json:"description"`
	} `json:"user"`
}

// Validate implements Request.
func (r *CreateUserReq) Validate() error { return required("user.name", r.User.Name) }

// UpdateUserReq is KeystoneUpdateUserByAdminRequestBody, for {user_id}.
type UpdateUserReq struct {
	UserRef `json:"-"`
	User    struct {
		DomainID    *string `json:"domain_id"`
		Name        *string `json:"name"`
		Password    *string `json:"password"`
		Enabled     *bool   `json:"enabled"`
		Description *string `json:"description"`
		PwdStatus   *bool   `json:"pwd_status"`
	} `json:"user"`
}

// Validate implements Request.
func (r *UpdateUserReq) Validate() error { return nil }

// PasswordReq is KeystoneUpdateUserPasswordRequestBody, for {user_id}.
type PasswordReq struct {
	UserRef `json:"-"`
	User    struct {
		Password         string `json:"password"`
		OriginalPassword string `json:"original_password"`
	} `json:"user"`
}

// Validate implements Request.
func (r *PasswordReq) Validate() error {
	if err := required("user.password", r.User.Password); err != nil {
		return err
	}
	return required("user.original_password", r.User.OriginalPassword)
}

// CreateCredentialReq is CreatePermanentAccessKeyRequestBody.
type CreateCredentialReq struct {
	Credential struct {
		UserID      string  `json:"user_id"`
		Description *string `json:"description"`
	} `json:"credential"`
}

// Validate implements Request.
func (r *CreateCredentialReq) Validate() error {
	return required("credential.user_id", r.Credential.UserID)
}

// AccessKeyRef is an access key named in the URL ({access_key}).
type AccessKeyRef struct {
	AccessKey string `path:"access_key"`
}

// FromURL implements URLRequest.
func (r *AccessKeyRef) FromURL(h *http.Request) error {
	r.AccessKey = h.PathValue("access_key")
	return required("access_key", r.AccessKey)
}

// UpdateCredentialReq is UpdatePermanentAccessKeyRequestBody.
type UpdateCredentialReq struct {
	AccessKeyRef `json:"-"`
	Credential   struct {
		Status      *string `json:"status"`
		Description *string `json:"description"`
	} `json:"credential"`
}

// Validate implements Request: status is "active" or "inactive".
func (r *UpdateCredentialReq) Validate() error {
	if s := r.Credential.Status; s != nil && *s != "active" && *s != "inactive" {
		return kmserr.IAMInvalid.Msgf(`Request parameter credential.status is invalid: "active" or "inactive".`)
	}
	return nil
}

// CreateGroupReq is KeystoneCreateGroupRequestBody.
type CreateGroupReq struct {
	Group struct {
		Name        string  `json:"name"`
		DomainID    *string `json:"domain_id"`
		Description *string `json:"description"`
	} `json:"group"`
}

// Validate implements Request.
func (r *CreateGroupReq) Validate() error { return required("group.name", r.Group.Name) }

// CustomPolicyReq is CreateCloudServiceCustomPolicyRequestBody.
type CustomPolicyReq struct {
	Role struct {
		DisplayName   string             `json:"display_name"`
		Type          string             `json:"type"`
		Description   string             `json:"description"`
		DescriptionCn *string            `json:"description_cn"`
		Policy        iampolicy.Document `json:"policy"`
	} `json:"role"`
}

// Validate implements Request.
func (r *CustomPolicyReq) Validate() error { return required("role.display_name", r.Role.DisplayName) }

// required answers IAM's 400 for a missing parameter.
func required(name, v string) error {
	if v == "" {
		return kmserr.IAMInvalid.Msgf("Request parameter %s is missing.", name)
	}
	return nil
}

// UpdateUserV30Req is UpdateUserRequestBody (PUT /v3.0/OS-USER/users/{user_id}).
// kmsd keeps no e-mail, phone, external identity or access mode: setting
// them is refused rather than ignored.
type UpdateUserV30Req struct {
	UserRef `json:"-"`
	User    struct {
		Name        *string `json:"name"`
		Password    *string `json:"password"`
		Enabled     *bool   `json:"enabled"`
		Description *string `json:"description"`
		PwdStatus   *bool   `json:"pwd_status"`
		AccessMode  *string `json:"access_mode"`
		Email       *string `json:"email"`
		Areacode    *string `json:"areacode"`
		Phone       *string `json:"phone"`
		XuserType   *string `json:"xuser_type"`
		XuserID     *string `json:"xuser_id"`
	} `json:"user"`
}

// Validate implements Request.
func (r *UpdateUserV30Req) Validate() error {
	u := r.User
	for name, v := range map[string]*string{"access_mode": u.AccessMode, "email": u.Email, "areacode": u.Areacode,
		"phone": u.Phone, "xuser_type": u.XuserType, "xuser_id": u.XuserID} {
		if v != nil {
			return kmserr.IAMInvalid.Msgf("Request parameter user.%s is not supported by kmsd.", name)
		}
	}
	return nil
}
