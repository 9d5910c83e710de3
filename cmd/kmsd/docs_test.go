package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsStandAlone: the README and docs/*.md cite nothing outside the
// repository (working notes, issue numbers, reference files that are not
// shipped), and every file they link or name exists.
func TestDocsStandAlone(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	outside := regexp.MustCompile(`(?i)\bissue \d+|\bour specs?\b|/work/|shared/spec|\b(crypto|management)-api\.md|auth-and-clients\.md`)
	link := regexp.MustCompile(`\]\(([^)#\s]+)`)
	named := regexp.MustCompile("`([A-Za-z0-9_./-]+\\.md)`")
	for _, path := range append(docs, "../../README.md") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text, name := string(b), strings.TrimPrefix(path, "../../")
		for _, m := range outside.FindAllString(text, -1) {
			t.Errorf("%s cites %q, which is not in the repository", name, m)
		}
		var files []string
		for _, m := range link.FindAllStringSubmatch(text, -1) {
			if !strings.Contains(m[1], "://") {
				files = append(files, filepath.Join(filepath.Dir(path), m[1]))
			}
		}
		for _, m := range named.FindAllStringSubmatch(text, -1) {
			files = append(files, filepath.Join(filepath.Dir(path), m[1]), filepath.Join("../..", m[1]), filepath.Join("../../docs", m[1]))
		}
		for _, f := range files {
			if _, err := os.Stat(f); err != nil && !anyExists(files, f) {
				t.Errorf("%s names %s, which does not exist", name, strings.TrimPrefix(f, "../../"))
			}
		}
	}
}

// anyExists reports whether f, named in backquotes, exists under one of
// the places it is looked for (the same base name among files).
func anyExists(files []string, f string) bool {
	for _, g := range files {
		if filepath.Base(g) == filepath.Base(f) {
			if _, err := os.Stat(g); err == nil {
				return true
			}
		}
	}
	return false
}
