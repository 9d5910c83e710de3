package cluster

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestTestsThatKillAreSelectable checks the convention that selects every
// crash test with "go test ./internal/... -run Crash": a Test function of
// any package under internal/ whose body SIGKILLs a process itself (calls a
// kill method, Process.Kill or syscall.Kill, or names syscall.SIGKILL) has
// Crash in its name.
func TestTestsThatKillAreSelectable(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			if pos, kills := killsProcess(fn.Body); kills && !strings.Contains(fn.Name.Name, "Crash") {
				t.Errorf("%s: %s SIGKILLs a process (%s) but its name lacks Crash", path, fn.Name.Name, fset.Position(pos))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// killsProcess reports whether body SIGKILLs a process directly, and where.
func killsProcess(body *ast.BlockStmt) (token.Pos, bool) {
	var at token.Pos
	ast.Inspect(body, func(n ast.Node) bool {
		if at.IsValid() {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "kill" || sel.Sel.Name == "Kill") {
				at = n.Pos()
			}
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && x.Name == "syscall" && n.Sel.Name == "SIGKILL" {
				at = n.Pos()
			}
		}
		return true
	})
	return at, at.IsValid()
}
