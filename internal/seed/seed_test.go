package seed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("accounts:\n  - name: a\n    projects:\n      - name: local-1\n        keys:\n          - alias: k\n            material: 00ff\n"), 0o600)
	f, err := Load(good)
	if err != nil || f.Accounts[0].Projects[0].Keys[0].Alias != "k" {
		t.Fatalf("load: %+v %v", f, err)
	}
	m, err := f.Accounts[0].Projects[0].Keys[0].material()
	if err != nil || len(m) != 2 {
		t.Fatalf("material: %v %v", m, err)
	}
	typo := filepath.Join(dir, "typo.yaml")
	os.WriteFile(typo, []byte("accounts:\n  - name: a\n    projets: []\n"), 0o600)
	if _, err := Load(typo); err == nil || !strings.Contains(err.Error(), "projets") {
		t.Fatalf("unknown field: %v", err)
	}
	if _, err := (Key{Material: "zz"}).material(); err == nil {
		t.Fatal("non-hex material accepted")
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("missing file accepted")
	}
}
