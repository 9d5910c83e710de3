package api

// symmetricRoutes declares encrypt/decrypt, data keys, random and re-encrypt.
func (s *Server) symmetricRoutes() []route {
	return nil
}
