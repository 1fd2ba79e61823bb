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
	exprType     = reflect.TypeOf((*ast.Expr)(nil)).Elem()
	concatType   = reflect.TypeOf(&ast.StringConcatOpExpr{})
	stringLitTyp = reflect.TypeOf(&ast.StringExpr{})
)

// rewriteConcat walks an AST (any node, slice or pointer) in place.
func rewriteConcat(v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		rewriteConcat(v.Elem())
		if v.Type() == exprType && v.Elem().Type() == concatType {
			c := v.Elem().Interface().(*ast.StringConcatOpExpr)
			c.Lhs = wrapConcatOperand(c.Lhs)
			c.Rhs = wrapConcatOperand(c.Rhs)
		}
	case reflect.Ptr:
		if !v.IsNil() {
			rewriteConcat(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				rewriteConcat(f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			rewriteConcat(v.Index(i))
		}
	}
}

func wrapConcatOperand(e ast.Expr) ast.Expr {
	switch e.(type) {
	case *ast.StringExpr, *ast.StringConcatOpExpr:
		return e // already a string
	}
	fn := &ast.IdentExpr{Value: concatArgName}
	fn.SetLine(e.Line())
	fn.SetLastLine(e.LastLine())
	desc := ""
	if a, ok := e.(*ast.AttrGetExpr); ok {
		desc = "field '?'"
		if k, ok := a.Key.(*ast.StringExpr); ok {
			desc = "field '" + k.Value + "'"
		}
	}
	call := &ast.FuncCallExpr{Func: fn, Args: []ast.Expr{e, &ast.StringExpr{Value: desc}}}
	call.SetLine(e.Line())
	call.SetLastLine(e.LastLine())
	return call
}
