//go:build !race

package e2e

// raceDetector is true in builds with the race detector, where timings (a
// PBKDF2 takes seconds) say nothing about production.
const raceDetector = false
