package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlyTheSchedulerCallsFyneDo: background work in app reaches the
// widgets through the UI's scheduler (UI.post), never through fyne.Do or
// fyne.DoAndWait itself, or the tests could not run its callbacks on their
// own goroutine and -race would find them racing the test again.
func TestOnlyTheSchedulerCallsFyneDo(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if ok && fn.Recv != nil && fn.Name.Name == "post" {
				if r, ok := fn.Recv.List[0].Type.(*ast.Ident); ok && r.Name == "fyneDo" {
					continue // the window's scheduler itself
				}
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fyne" && (sel.Sel.Name == "Do" || sel.Sel.Name == "DoAndWait") {
					t.Errorf("%s: fyne.%s: post through the UI's scheduler (u.post) instead", fset.Position(sel.Pos()), sel.Sel.Name)
				}
				return true
			})
		}
	}
}
