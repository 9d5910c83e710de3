package api

// managementRoutes declares rotation, alias, tag and grant actions
// (management-api.md §3.10-§6).
func (s *Server) managementRoutes() []route {
	return nil
}
