package api

// cryptoRoutes declares the data-plane actions (crypto-api.md): the
// symmetric and envelope family, and the asymmetric, MAC and import family.
func (s *Server) cryptoRoutes() []route {
	return append(s.symmetricRoutes(), s.asymmetricRoutes()...)
}
