package auth

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/kmsd/kmsd/internal/auth/sigv"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/iam"
	"github.com/kmsd/kmsd/internal/kmserr"
)

// Identity is an authenticated user, before a project is chosen.
type Identity struct {
	UserID   string
	DomainID string
	user     domain.User // whose project list binds every credential
	// secret is set for AK/SK requests; claims for token requests.
	secret *iam.Secret
	claims *Claims
}

// Authenticator verifies requests. It is safe for concurrent use.
type Authenticator struct {
	IAM    *iam.Service
	Tokens *Tokens
	Clock  func() time.Time
}

// Authenticate verifies the request's AK/SK signature (Authorization +
// X-Sdk-Date) or its X-Auth-Token, and loads the user behind it. body is
// the raw body already read. Failures are 401 APIG.0301 errors whose message
// says what was wrong.
func (a *Authenticator) Authenticate(ctx context.Context, r *http.Request, body []byte) (Identity, error) {
	id, err := a.credential(ctx, r, body)
	if err != nil {
		return Identity{}, err
	}
	id.user, err = a.IAM.User(ctx, id.UserID)
	if errors.Is(err, iam.ErrUnknown) {
		return Identity{}, kmserr.Unauthenticated.Msgf("The user of the credential does not exist.")
	}
	if err != nil {
		return Identity{}, kmserr.From(err)
	}
	return id, nil
}

func (a *Authenticator) credential(ctx context.Context, r *http.Request, body []byte) (Identity, error) {
	if sigv.IsSigned(r) {
		return a.signed(ctx, r, body)
	}
	if tok := r.Header.Get("X-Auth-Token"); tok != "" {
		return a.token(tok)
	}
	return Identity{}, kmserr.Unauthenticated.Msgf("Missing authentication: sign the request with AK/SK or send X-Auth-Token.")
}

func (a *Authenticator) signed(ctx context.Context, r *http.Request, body []byte) (Identity, error) {
	parsed, err := sigv.Parse(r.Header.Get("Authorization"))
	if err != nil {
		return Identity{}, kmserr.Unauthenticated.Msgf("Malformed Authorization header.").Wrap(err)
	}
	sec, err := a.IAM.LookupSecret(ctx, parsed.AccessKey)
	if errors.Is(err, iam.ErrUnknown) {
		return Identity{}, kmserr.Unauthenticated.Msgf("Get secretKey failed: unknown access key.")
	}
	if err != nil {
		return Identity{}, kmserr.From(err)
	}
	if err := sigv.Verify(r, body, parsed, sec.SecretKey, a.Clock()); err != nil {
		return Identity{}, signatureError(err)
	}
	return Identity{UserID: sec.Credential.UserID, DomainID: sec.Credential.DomainID, secret: &sec}, nil
}

func signatureError(err error) error {
	switch {
	case errors.Is(err, sigv.ErrSkew):
		return kmserr.Unauthenticated.Msgf("X-Sdk-Date is more than 15 minutes away from the server time.").Wrap(err)
	case errors.Is(err, sigv.ErrMalformed):
		return kmserr.Unauthenticated.Msgf("Malformed signed request.").Wrap(err)
	}
	return kmserr.Unauthenticated.Msgf("Verify aksk signature fail.").Wrap(err)
}

func (a *Authenticator) token(tok string) (Identity, error) {
	c, err := a.Tokens.Verify(tok, a.Clock())
	if errors.Is(err, ErrTokenExpired) {
		return Identity{}, kmserr.Unauthenticated.Msgf("The token has expired.")
	}
	if err != nil {
		return Identity{}, kmserr.Unauthenticated.Msgf("Decrypt token fail: the token is invalid.")
	}
	return Identity{UserID: c.UserID, DomainID: c.DomainID, claims: &c}, nil
}

// Caller checks that id may act in project projectID and returns the
// resulting caller. An unknown project, another account's project, a project
// outside the user's or the access key's list, or a token scoped to another
// project answer 403 KMS.0321.
func (a *Authenticator) Caller(ctx context.Context, id Identity, projectID string) (domain.Caller, error) {
	p, err := a.IAM.Project(ctx, projectID)
	if err != nil && !errors.Is(err, iam.ErrUnknown) {
		return domain.Caller{}, kmserr.From(err)
	}
	if err != nil || !id.allows(p) {
		return domain.Caller{}, kmserr.ProjectMismatch.Msgf("The credential has no access to project %q.", projectID)
	}
	return domain.Caller{UserID: id.UserID, DomainID: id.DomainID, ProjectID: p.ID, Region: p.Name}, nil
}

// allows is the one rule for every credential: the user's project list
// binds it, and the credential may narrow it further (an access key's own
// list, a token's project scope).
func (id Identity) allows(p domain.Project) bool {
	if !id.user.AllowsProject(p) {
		return false
	}
	switch {
	case id.secret != nil:
		return id.secret.AllowsProject(p)
	case id.claims != nil:
		return p.DomainID == id.claims.DomainID &&
			(id.claims.ProjectID == "" || id.claims.ProjectID == p.ID)
	}
	return false
}

// AllowsProject reports whether id may act in p (for IAM project listings).
func (id Identity) AllowsProject(p domain.Project) bool { return id.allows(p) }
