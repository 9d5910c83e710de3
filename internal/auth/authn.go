package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
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
	// scope is set for V11 (derived-key) signatures.
	scope *scope
	// signed is set (non-zero) for AK/SK requests: what the signature
	// covered. A value, not a pointer: no allocation per request.
	signed sigv.Verified
}

// The services a V11 credential scope names, as the SDK's derived signer
// writes them (its DerivedAuthServiceName).
const (
	ServiceKMS = "kms" // every /v1.0/{project_id}/… route
	ServiceIAM = "iam" // the /v3/… identity routes
)

// scope is the credential scope of a V11 signature: the region and the
// service its signing key was derived for ("<date>/<region>/<service>").
type scope struct{ region, service string }

// parseScope returns the scope of a parsed V11 Authorization, nil for the
// other algorithms (Parse has validated the shape).
func parseScope(a sigv.Authorization) *scope {
	if a.Scope == "" {
		return nil // not V11; and no allocation on the hot path
	}
	parts := strings.Split(a.Scope, "/")
	if len(parts) != 3 {
		return nil
	}
	return &scope{region: parts[1], service: parts[2]}
}

// scopeError is the answer to a signature derived for another region or
// service: it verifies, but was not made for this request.
func scopeError(sc *scope, region, service string) error {
	return kmserr.Unauthenticated.Msgf("The credential scope %s/%s does not match this request (%s/%s).",
		sc.region, sc.service, region, service)
}

// Authenticator verifies requests. It is safe for concurrent use.
type Authenticator struct {
	IAM    *iam.Service
	Tokens *Tokens
	Clock  func() time.Time
	Replay ReplayPolicy // zero: repeats are accepted, as Huawei's gateway does
}

// Authenticate verifies the request's AK/SK signature (Authorization +
// X-Sdk-Date) or its X-Auth-Token, and loads the user behind it. An
// inactive access key, a disabled user and a token issued before the
// user's password or status last changed are refused. body is the raw body
// already read. Failures are 401 APIGW.0301 errors (403 KMS.0301-0303 for a
// malformed, invalid or expired token) whose message says what was wrong.
func (a *Authenticator) Authenticate(ctx context.Context, r *http.Request, body []byte) (Identity, error) {
	id, err := a.credential(ctx, r, body)
	if err != nil {
		return Identity{}, err
	}
	id.user, err = a.IAM.User(ctx, id.UserID)
	if errors.Is(err, iam.ErrUnknown) {
		return Identity{}, kmserr.Unauthenticated.Msgf("The user of the credential does not exist.").Wrap(FailUnknownUser)
	}
	if err != nil {
		return Identity{}, kmserr.From(err)
	}
	if id.user.Disabled {
		return Identity{}, kmserr.Unauthenticated.Msgf("The user is disabled.")
	}
	if id.claims != nil && id.claims.Epoch != id.user.TokenEpoch {
		return Identity{}, kmserr.Unauthenticated.Msgf("The token has been revoked: the user's password or status changed.")
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
	return Identity{}, kmserr.Unauthenticated.Msgf("Missing authentication: sign the request with AK/SK or send X-Auth-Token.").Wrap(FailMissing)
}

func (a *Authenticator) signed(ctx context.Context, r *http.Request, body []byte) (Identity, error) {
	parsed, err := sigv.Parse(r.Header.Get("Authorization"))
	if err != nil {
		return Identity{}, kmserr.Unauthenticated.Msgf("Malformed Authorization header.").Wrap(because(FailMalformed, err))
	}
	sec, err := a.IAM.LookupSecret(ctx, parsed.AccessKey)
	if errors.Is(err, iam.ErrUnknown) {
		return Identity{}, badSignature(because(FailUnknownAccessKey, err))
	}
	if err == nil && sec.Credential.Inactive {
		return Identity{}, badSignature(errors.New("auth: access key inactive"))
	}
	if err != nil {
		return Identity{}, kmserr.From(err)
	}
	v, err := sigv.Check(r, body, parsed, sec.SecretKey, a.Clock())
	if err != nil {
		return Identity{}, signatureError(err)
	}
	return Identity{UserID: sec.Credential.UserID, DomainID: sec.Credential.DomainID, secret: &sec,
		scope: parseScope(parsed), signed: v}, nil
}

func signatureError(err error) error {
	switch {
	case errors.Is(err, sigv.ErrSkew):
		return kmserr.Unauthenticated.Msgf("X-Sdk-Date is more than 15 minutes away from the server time.").Wrap(because(FailClockSkew, err))
	case errors.Is(err, sigv.ErrMalformed):
		return kmserr.Unauthenticated.Msgf("Malformed signed request.").Wrap(because(FailMalformed, err))
	}
	return badSignature(because(FailBadSignature, err))
}

// badSignature is the one answer to an unknown access key and to a wrong
// signature, so that a 401 does not tell which access keys exist. The
// cause stays in the wrapped error, for the log.
func badSignature(cause error) error {
	return kmserr.Unauthenticated.Msgf("Incorrect IAM authentication information: verify aksk signature fail.").Wrap(cause)
}

func (a *Authenticator) token(tok string) (Identity, error) {
	c, err := a.Tokens.Verify(tok, a.Clock())
	switch {
	case errors.Is(err, ErrTokenExpired):
		return Identity{}, kmserr.TokenExpired.Msgf("The token has expired.").Wrap(FailTokenExpired)
	case errors.Is(err, ErrTokenMalformed):
		return Identity{}, kmserr.TokenMalformed.Msgf("X-Auth-Token is not a token this service issued.").Wrap(because(FailTokenInvalid, err))
	}
	if err != nil {
		return Identity{}, kmserr.TokenInvalid.Msgf("Decrypt token fail: the token is invalid.").Wrap(because(FailTokenInvalid, err))
	}
	return Identity{UserID: c.UserID, DomainID: c.DomainID, claims: &c}, nil
}

// Caller checks that id may act in project projectID and returns the
// resulting caller. An unknown project, another account's project, a project
// outside the user's or the access key's list, or a token scoped to another
// project answer 403 KMS.0321. A V11 signature must have been derived for the
// project's region and the kms service (401 APIGW.0301 otherwise).
func (a *Authenticator) Caller(ctx context.Context, id Identity, projectID string) (domain.Caller, error) {
	p, err := a.IAM.Project(ctx, projectID)
	if err != nil && !errors.Is(err, iam.ErrUnknown) {
		return domain.Caller{}, kmserr.From(err)
	}
	if err != nil || !id.allows(p) {
		return domain.Caller{}, kmserr.ProjectMismatch.Msgf("The credential has no access to project %q.", projectID)
	}
	if sc := id.scope; sc != nil && (sc.region != p.Name || sc.service != ServiceKMS) {
		return domain.Caller{}, scopeError(sc, p.Name, ServiceKMS)
	}
	return domain.Caller{UserID: id.UserID, DomainID: id.DomainID, ProjectID: p.ID, Region: p.Name}, nil
}

// CheckIdentityScope checks, for the identity (IAM) routes, that a V11
// signature was derived for the iam service and for a region of the
// caller's account (IAM is global, so any of its regions will do). It is a
// no-op for other algorithms and tokens.
func (a *Authenticator) CheckIdentityScope(ctx context.Context, id Identity) error {
	sc := id.scope
	if sc == nil {
		return nil
	}
	if sc.service != ServiceIAM {
		return scopeError(sc, sc.region, ServiceIAM)
	}
	ps, err := a.IAM.Projects(ctx, id.DomainID, sc.region)
	if err != nil {
		return kmserr.From(err)
	}
	if len(ps) == 0 {
		return kmserr.Unauthenticated.Msgf("The credential scope names region %q, which the account does not have.", sc.region)
	}
	return nil
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
