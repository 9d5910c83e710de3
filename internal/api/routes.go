package api

import (
	"fmt"
	"maps"
	"reflect"
	"slices"

	"github.com/kmsd/kmsd/internal/op"
)

// handler serves one operation: it returns the status and body to render,
// or an error for the one error renderer.
type handler func(*call) (status int, body any, err error)

// route is an operation of the catalogue bound to its handler.
type route struct {
	op.Op
	handle handler
}

// muxAliases are extra ServeMux patterns of an operation. DELETE
// …/{key_id}/tags/action deletes a tag literally named "action": the mux
// sends that path to the more specific tags/action pattern, so delete-tag
// must be registered there too.
var muxAliases = []struct {
	name op.Name
	path string
}{
	{op.DeleteTag, "/v1.0/{project_id}/kms/{key_id}/tags/action"},
}

// routes binds every operation of the catalogue to its handler, in
// catalogue order, plus the mux aliases. It panics when an operation has no
// handler or a handler no operation: the table and the code must agree
// (TestEveryOperationIsServed checks it without starting a server).
func (s *Server) routes() []route {
	hs := s.handlers()
	var rs []route
	for _, o := range op.All() {
		b, ok := hs[o.Name]
		if !ok {
			panic(fmt.Sprintf("api: operation %s has no handler", o.Name))
		}
		delete(hs, o.Name)
		rs = append(rs, route{o, b.make(o)})
	}
	for n := range hs {
		panic(fmt.Sprintf("api: handler for %s, which the catalogue lacks", n))
	}
	for _, a := range muxAliases {
		rt := rs[slices.IndexFunc(rs, func(rt route) bool { return rt.Name == a.name })]
		rt.Path = a.path
		rs = append(rs, rt)
	}
	return rs
}

// RequestTypes returns, for every operation of the catalogue, the
// internal/wire request type its handler decodes (its JSON body fields, and
// its URL parameters tagged path:"…" or query:"…"), or nil for an operation
// without parameters of its own. Clients built from the catalogue (the
// command line) send exactly what the server reads.
func RequestTypes() map[op.Name]reflect.Type {
	m := map[op.Name]reflect.Type{}
	for n, b := range (&Server{}).handlers() {
		m[n] = b.req
	}
	return m
}

// handlers returns the binding of every operation, family by family.
func (s *Server) handlers() map[op.Name]binding {
	hs := map[op.Name]binding{
		op.ShowVersions: serve(s.showVersions),
		op.ShowVersion:  serve(s.showVersion),
		op.Healthz:      serve(s.healthz),
		op.Readyz:       serve(s.readyz),

		op.IAMCreateToken:   bind(s.createToken),
		op.IAMValidateToken: serve(s.validateToken),
		op.IAMListProjects:  serve(s.listProjects),
		op.IAMAuthProjects:  serve(s.listProjects),
		op.IAMAuthDomains:   serve(s.listDomains),

		op.IAMCreateUser:         bind(s.createUser),
		op.IAMListUsers:          serve(s.listUsers),
		op.IAMShowUser:           bindURL(s.showUser),
		op.IAMUpdateUser:         bind(s.updateUser),
		op.IAMUpdateUserV30:      bind(s.updateUserV30),
		op.IAMUpdateUserPassword: bind(s.updatePassword),
		op.IAMDeleteUser:         bindURL(s.deleteUser),

		op.IAMCreateAccessKey: bind(s.createAccessKey),
		op.IAMListAccessKeys:  serve(s.listAccessKeys),
		op.IAMShowAccessKey:   bindURL(s.showAccessKey),
		op.IAMUpdateAccessKey: bind(s.updateAccessKey),
		op.IAMDeleteAccessKey: bindURL(s.deleteAccessKey),

		op.IAMCreateGroup:         bind(s.createGroup),
		op.IAMListGroups:          serve(s.listGroups),
		op.IAMDeleteGroup:         serve(s.deleteGroup),
		op.IAMAddUserToGroup:      serve(s.addUserToGroup),
		op.IAMRemoveUserFromGroup: serve(s.removeUserFromGroup),
		op.IAMCheckUserInGroup:    serve(s.checkUserInGroup),
		op.IAMListGroupUsers:      serve(s.listGroupUsers),

		op.IAMListPermissions:     serve(s.listPermissions),
		op.IAMCreateCustomPolicy:  bind(s.createCustomPolicy),
		op.IAMGrantOnProject:      serve(s.grantRole),
		op.IAMGrantOnDomain:       serve(s.grantRole),
		op.IAMRevokeOnProject:     serve(s.revokeRole),
		op.IAMRevokeOnDomain:      serve(s.revokeRole),
		op.IAMCheckOnProject:      serve(s.checkRole),
		op.IAMCheckOnDomain:       serve(s.checkRole),
		op.IAMListGrantsOnProject: serve(s.listGroupRoles),
		op.IAMListGrantsOnDomain:  serve(s.listGroupRoles),

		op.CreateKey:            bind(s.createKey),
		op.DescribeKey:          bind(s.describeKey),
		op.ListKeys:             bind(s.listKeys),
		op.UpdateKeyDescription: bind(s.updateKeyDescription),
		op.UpdateKeyAlias:       bind(s.updateKeyAlias),
		op.EnableKey:            bind(s.enableKey),
		op.DisableKey:           bind(s.disableKey),
		op.ScheduleKeyDeletion:  bind(s.scheduleKeyDeletion),
		op.CancelKeyDeletion:    bind(s.cancelKeyDeletion),
		op.UserInstances:        serve(s.userInstances),
		op.UserQuotas:           serve(s.userQuotas),
	}
	for _, family := range []map[op.Name]binding{s.symmetricHandlers(), s.asymmetricHandlers(),
		s.managementHandlers(), s.regionHandlers()} {
		maps.Copy(hs, family)
	}
	return hs
}
