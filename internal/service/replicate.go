package service

import (
	"context"
	"slices"

	"github.com/google/uuid"

	"github.com/kmsd/kmsd/internal/authz"
	"github.com/kmsd/kmsd/internal/domain"
	"github.com/kmsd/kmsd/internal/kmserr"
	"github.com/kmsd/kmsd/internal/store"
)

// Multi-region keys. In kmsd a region is a project of the account (its name
// is the region id). A replica is a key of another project of the same
// account holding the same material versions, each re-wrapped under the
// root key for the replica's id. The store links each replica to its
// current primary ([store.ReplicaLink]) and records its material group: the
// id of the key whose material it copies (never changed; decryption across
// regions and seal counting compare groups).

// ReplicaInput describes a replica to create (ReplicateKey).
type ReplicaInput struct {
	KeyID               string
	Region              string // replica region = target project name
	ProjectID           string // target project id; must be the region's project
	Alias               string
	Description         string
	EnterpriseProjectID string
	Tags                []domain.Tag
	// Allows reports whether the caller's credential may act in a project;
	// nil allows every project of the account.
	Allows func(domain.Project) bool
}

// ListRegions returns the region names (project names) of c's account other
// than c's own, sorted and without duplicates.
func (s *Service) ListRegions(ctx context.Context, c domain.Caller) ([]string, error) {
	ps, err := s.store.ListProjects(ctx, c.DomainID, "")
	if err != nil {
		return nil, kmserr.From(err)
	}
	out := []string{}
	for _, p := range ps {
		if p.Name != c.Region {
			out = append(out, p.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ReplicateKey creates a replica of c's key in.KeyID in region in.Region.
// Only the owner may replicate (KMS.0207 for others), and only non-default
// (KMS.0211), kms-origin (KMS.0308), symmetric (KMS.0325 asymmetric,
// KMS.0341 HMAC), enabled (KMS.0209, KMS.0210, KMS.1301) keys that are not
// themselves replicas (KMS.0106), once per region (KMS.0308). The target
// region must be another project of the account that the credential may use
// (KMS.0308); the quota (KMS.1105) and alias uniqueness (KMS.1104) of the
// target project apply.
func (s *Service) ReplicateKey(ctx context.Context, c domain.Caller, in ReplicaInput) (domain.Key, error) {
	target, err := s.replicaTarget(ctx, c, in)
	if err != nil {
		return domain.Key{}, err
	}
	src, err := s.load(ctx, in.KeyID)
	if err != nil {
		return domain.Key{}, notFound(err)
	}
	if err := checkReplicable(c, &src.key); err != nil {
		return domain.Key{}, err
	}
	rk, versions, err := s.replicaMaterial(ctx, c, target, in, src)
	if err != nil {
		return domain.Key{}, err
	}
	err = s.update(ctx, func(tx Tx) error {
		if err := s.insertKey(ctx, tx, &rk, nil); err != nil {
			return err
		}
		return s.linkReplica(ctx, tx, c, in, &rk, versions)
	})
	s.cache.drop(in.KeyID)
	return rk, kmserrOrNil(err)
}

// replicaTarget checks the region and project of a replica.
func (s *Service) replicaTarget(ctx context.Context, c domain.Caller, in ReplicaInput) (domain.Project, error) {
	if in.Region == c.Region {
		return domain.Project{}, kmserr.InvalidParameter.Msgf("replica_region must differ from the key's region %q.", c.Region)
	}
	ps, err := s.store.ListProjects(ctx, c.DomainID, in.Region)
	if err != nil {
		return domain.Project{}, kmserr.From(err)
	}
	i := slices.IndexFunc(ps, func(p domain.Project) bool { return p.ID == in.ProjectID })
	switch {
	case len(ps) == 0:
		return domain.Project{}, kmserr.InvalidParameter.Msgf("replica_region %q is not a region of the account.", in.Region)
	case i < 0:
		return domain.Project{}, kmserr.InvalidParameter.Msgf("replica_project_id is not the project of region %q.", in.Region)
	case in.Allows != nil && !in.Allows(ps[i]):
		return domain.Project{}, kmserr.InvalidParameter.Msgf("The credential may not act in region %q.", in.Region)
	}
	return ps[i], nil
}

func checkReplicable(c domain.Caller, k *domain.Key) error {
	switch {
	case !authz.Owns(c, k):
		return kmserr.KeyNotFound
	case k.Default:
		return kmserr.DefaultKey
	case k.Origin != domain.OriginKMS:
		return kmserr.InvalidParameter.Msgf("Keys with imported material cannot be replicated.")
	case k.Spec.Class() == domain.ClassHMAC:
		return kmserr.HMACUnsupp.Msgf("HMAC keys cannot be replicated.")
	case k.Spec.Class() != domain.ClassSymmetric:
		return kmserr.AsymmetricUnsupp.Msgf("Only symmetric keys can be replicated.")
	case k.State == domain.StateDisabled:
		return kmserr.KeyDisabled
	case k.State == domain.StatePendingDeletion:
		return kmserr.KeyPendingDelete
	case k.State != domain.StateEnabled:
		return kmserr.KeyNotEnabled
	}
	return nil
}

// replicaMaterial builds the replica key and re-wraps every material
// version of src for it.
func (s *Service) replicaMaterial(ctx context.Context, c domain.Caller, p domain.Project, in ReplicaInput, src *cachedKey) (domain.Key, []domain.KeyVersion, error) {
	k := src.key
	rk := domain.Key{
		ID: uuid.NewString(), DomainID: c.DomainID, ProjectID: p.ID, Alias: in.Alias,
		Description: in.Description, Spec: k.Spec, Usage: k.Usage, Origin: k.Origin,
		State: domain.StateEnabled, CreatedAt: s.now(), RotationInterval: defaultRotationDays,
		PrimaryVersion: k.PrimaryVersion, EnterpriseProjectID: in.EnterpriseProjectID,
		KeystoreID: "0", Revision: 1,
	}
	if rk.EnterpriseProjectID == "" {
		rk.EnterpriseProjectID = "0"
	}
	nums := make([]int, 0, len(src.material))
	for v := range src.material {
		nums = append(nums, v)
	}
	slices.Sort(nums)
	vs := make([]domain.KeyVersion, 0, len(nums))
	for _, v := range nums {
		kv, err := s.newVersion(ctx, &rk, v, src.material[v])
		if err != nil {
			return rk, nil, kmserr.Internal.Wrap(err)
		}
		vs = append(vs, kv)
	}
	return rk, vs, nil
}

// linkReplica stores the replica's versions and tags and links it to its
// primary, with the primary locked so that concurrent replications of one
// key see each other.
func (s *Service) linkReplica(ctx context.Context, tx Tx, c domain.Caller, in ReplicaInput, rk *domain.Key, vs []domain.KeyVersion) error {
	if _, err := tx.GetKeyForUpdate(ctx, in.KeyID); err != nil {
		return notFound(err)
	}
	if err := checkNotReplica(ctx, tx, in.KeyID); err != nil {
		return err
	}
	if err := tx.DeleteReplicaLink(ctx, in.KeyID); err != nil { // a stale link
		return err
	}
	reps, err := liveReplicas(ctx, tx, in.KeyID)
	if err != nil {
		return err
	}
	if id, ok := reps[in.Region]; ok {
		return kmserr.InvalidParameter.Msgf("The key already has a replica (%s) in region %q.", id, in.Region)
	}
	for _, v := range vs {
		if err := tx.CreateVersion(ctx, v); err != nil {
			return err
		}
	}
	if len(in.Tags) > 0 {
		if err := tx.ReplaceTags(ctx, rk.ID, in.Tags); err != nil {
			return err
		}
	}
	group, err := groupOf(ctx, tx, in.KeyID)
	if err != nil {
		return err
	}
	if err := tx.CreateMaterialGroup(ctx, rk.ID, group); err != nil {
		return err
	}
	return tx.PutReplicaLink(ctx, store.ReplicaLink{KeyID: rk.ID, PrimaryID: in.KeyID, Region: in.Region})
}
