package api

// asymmetricRoutes declares sign/verify, public keys, MACs, data key pairs,
// key agreement, import and PINs.
func (s *Server) asymmetricRoutes() []route {
	return nil
}
