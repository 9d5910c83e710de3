package main

import (
	"testing"

	"github.com/kmsd/kmsd/internal/testkit/deps"
)

func TestMain(m *testing.M) { deps.Main(m) }
