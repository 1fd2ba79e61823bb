package scripting

import (
	"reflect"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// Concatenation of numbers: Lua 5.1 converts a number operand of ".."
// with %.14g; gopher-lua's VM uses Go's shortest form and has no hook.
// Compiled chunks are rewritten so that every operand of ".." that is not
// a string literal goes through concatArgName, which formats numbers as
// Lua does and returns anything else unchanged (so errors still name the
// operand's type). Lines are kept, so error positions do not move.

// concatArgName is the hidden global holding the operand converter.
const concatArgName = "__modis_concat_arg"

func luaConcatArg(L *lua.LState) int {
	switch v := L.Get(1).(type) {
	case lua.LNumber:
		L.Push(lua.LString(FormatNumber(float64(v))))
		return 1
	case lua.LString:
		L.Push(v)
		return 1
	}
	// Lua 5.1's luaG_concaterror, naming fields as it does.
	typ := L.Get(1).Type().String()
	if desc, ok := L.Get(2).(lua.LString); ok && desc != "" {
		L.RaiseError("attempt to concatenate %s (a %s value)", string(desc), typ)
	}
	L.RaiseError("attempt to concatenate a %s value", typ)
	return 0
}

var (
	exprType   = reflect.TypeOf((*ast.Expr)(nil)).Elem()
	concatType = reflect.TypeOf(&ast.StringConcatOpExpr{})
	funcType   = reflect.TypeOf(&ast.FunctionExpr{})
)

// concatRewriter walks an AST in place; scopes are the local names of
// the enclosing functions (innermost last), to name operands in errors
// as Lua does ("local 'x'", "upvalue 'x'", "global 'x'"). A function's
// locals are all the names it declares, wherever: close enough for
// messages.
type concatRewriter struct{ scopes []map[string]bool }

func rewriteChunk(stmts []ast.Stmt) {
	r := &concatRewriter{scopes: []map[string]bool{declaredLocals(reflect.ValueOf(stmts), nil)}}
	r.walk(reflect.ValueOf(stmts))
}

// declaredLocals collects the names declared local in a function body,
// not entering nested functions.
func declaredLocals(v reflect.Value, into map[string]bool) map[string]bool {
	if into == nil {
		into = map[string]bool{}
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Ptr:
		if v.IsNil() || v.Type() == funcType {
			return into
		}
		switch n := v.Interface().(type) {
		case *ast.LocalAssignStmt:
			for _, name := range n.Names {
				into[name] = true
			}
		case *ast.NumberForStmt:
			into[n.Name] = true
		case *ast.GenericForStmt:
			for _, name := range n.Names {
				into[name] = true
			}
		}
		declaredLocals(v.Elem(), into)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				declaredLocals(f, into)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			declaredLocals(v.Index(i), into)
		}
	}
	return into
}

func (r *concatRewriter) walk(v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		r.walk(v.Elem())
		if v.Type() == exprType && v.Elem().Type() == concatType {
			c := v.Elem().Interface().(*ast.StringConcatOpExpr)
			c.Lhs = r.wrap(c.Lhs)
			c.Rhs = r.wrap(c.Rhs)
		}
	case reflect.Ptr:
		if v.IsNil() {
			return
		}
		if fe, ok := v.Interface().(*ast.FunctionExpr); ok {
			scope := declaredLocals(reflect.ValueOf(fe.Stmts), nil)
			if fe.ParList != nil {
				for _, name := range fe.ParList.Names {
					scope[name] = true
				}
			}
			r.scopes = append(r.scopes, scope)
			r.walk(reflect.ValueOf(fe.Stmts))
			r.scopes = r.scopes[:len(r.scopes)-1]
			return
		}
		r.walk(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				r.walk(f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			r.walk(v.Index(i))
		}
	}
}

// describe names an operand as Lua 5.1's getobjname would.
func (r *concatRewriter) describe(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.AttrGetExpr:
		if k, ok := x.Key.(*ast.StringExpr); ok {
			return "field '" + k.Value + "'"
		}
		return "field '?'"
	case *ast.IdentExpr:
		n := len(r.scopes)
		if n > 0 && r.scopes[n-1][x.Value] {
			return "local '" + x.Value + "'"
		}
		for i := n - 2; i >= 0; i-- {
			if r.scopes[i][x.Value] {
				return "upvalue '" + x.Value + "'"
			}
		}
		return "global '" + x.Value + "'"
	}
	return ""
}

func (r *concatRewriter) wrap(e ast.Expr) ast.Expr {
	switch e.(type) {
	case *ast.StringExpr, *ast.StringConcatOpExpr:
		return e // already a string
	}
	fn := &ast.IdentExpr{Value: concatArgName}
	fn.SetLine(e.Line())
	fn.SetLastLine(e.LastLine())
	call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{e, &ast.StringExpr{Value: r.describe(e)}}}
	call.SetLine(e.Line())
	call.SetLastLine(e.LastLine())
	return call
}
