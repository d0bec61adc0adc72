"""Finding SQL built from strings: the AST scan behind ``test_sql_strings.py``.

A statement handed to ``text()``, ``execute()``, ``executemany()`` or ``exec_driver_sql()`` that
is built with an f-string, ``%``, ``.format()``, ``.join()`` or ``+`` is allowed only when every
piece put into it is SQL written in the module itself, never a value that arrives at run time:

- a literal, or an ``int(...)`` (a number cannot carry SQL);
- a module constant, or a local variable, every assignment of which is itself such a piece
  (``"AND team_id = :team" if team_id else ""``, a choice from a dict of literals, a loop over a
  tuple of literals);
- a parameter of a module-private function (``_name``) that every call in the module passes such
  a piece;
- ``psycopg.sql`` composition (``sql.SQL(...).format(sql.Identifier(...))``), which quotes.

Anything else is reported, unless the allow-list in the test names it with the reason it is safe.
Values always travel as bind parameters (``:name``), which this scan does not need to see.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SQL_CALLS = frozenset({"text", "execute", "executemany", "exec_driver_sql"})
NUMBER_CALLS = frozenset({"int", "len", "range"})
# Calls that give back what they were given, in another order or container.
PASS_THROUGH = frozenset({"reversed", "list", "sorted", "tuple", "set"})
SAFE_METHODS = frozenset({"items", "keys", "values", "lower", "upper", "strip"})


@dataclass(frozen=True)
class Finding:
    """An unsafe piece of a built statement: where, in which function, and its source."""

    path: str
    line: int
    function: str
    piece: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}(): {self.piece}"


def _call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_built(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
    )


class _Module:
    """One source file: its functions, module-level assignments and the calls it makes."""

    def __init__(self, path: Path, relative: str) -> None:
        self.relative = relative
        self.tree = ast.parse(path.read_text(), filename=str(path))
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.functions = {
            n.name: n
            for n in ast.walk(self.tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        }

    def scope_of(self, node: ast.AST) -> ast.AST:
        current = self.parents.get(node)
        while current is not None and not isinstance(
            current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        ):
            current = self.parents.get(current)
        return current if current is not None else self.tree

    def function_name(self, node: ast.AST) -> str:
        scope = self.scope_of(node)
        return getattr(scope, "name", "<module>")


class Scanner:
    """Walks one module and reports every unsafe piece of every built statement."""

    def __init__(self, module: _Module) -> None:
        self.module = module
        self.findings: list[Finding] = []
        self._seen: set[tuple[int, str]] = set()
        self._bound: dict[tuple[int, str], list[_Bound]] = {}

    def scan(self) -> list[Finding]:
        for node in ast.walk(self.module.tree):
            if (
                isinstance(node, ast.Call)
                and _call_name(node.func) in SQL_CALLS
                and node.args
                and self._statement_is_built(node.args[0], node)
            ):
                self._check(node.args[0], node, depth=0)
        return self.findings

    def _statement_is_built(self, arg: ast.expr, at: ast.AST) -> bool:
        if _is_built(arg):
            return True
        if isinstance(arg, ast.Name):
            return any(_is_built(b.value) for b in self._assigned_values(arg.id, at))
        return False

    # -- is a piece SQL written in the module? -------------------------------------------------
    def _check(self, node: ast.expr, at: ast.AST, *, depth: int) -> None:
        for piece in self._unsafe_pieces(node, at, depth):
            key = (piece.lineno, ast.unparse(piece))
            if key not in self._seen:
                self._seen.add(key)
                self.findings.append(
                    Finding(
                        self.module.relative,
                        piece.lineno,
                        self.module.function_name(at),
                        ast.unparse(piece),
                    )
                )

    def _unsafe_pieces(self, node: ast.expr, at: ast.AST, depth: int) -> list[ast.expr]:
        if depth > 60:
            return [node]
        sub = depth + 1
        match node:
            case ast.Constant():
                return []
            case ast.JoinedStr(values=values):
                return [p for v in values for p in self._unsafe_pieces(v, at, sub)]
            case ast.FormattedValue(value=value):
                return self._unsafe_pieces(value, at, sub)
            case ast.BinOp(left=left, right=right):
                return self._unsafe_pieces(left, at, sub) + self._unsafe_pieces(right, at, sub)
            case ast.Starred(value=value):
                return self._unsafe_pieces(value, at, sub)
            case ast.BoolOp(values=values):
                return [p for v in values for p in self._unsafe_pieces(v, at, sub)]
            case ast.IfExp(body=body, orelse=orelse):
                return self._unsafe_pieces(body, at, sub) + self._unsafe_pieces(orelse, at, sub)
            case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
                return [p for e in elts for p in self._unsafe_pieces(e, at, sub)]
            case ast.Dict(values=values):
                return [p for v in values if v is not None for p in self._unsafe_pieces(v, at, sub)]
            case ast.GeneratorExp(elt=elt) | ast.ListComp(elt=elt) | ast.SetComp(elt=elt):
                return self._unsafe_pieces(elt, at, sub)  # its names are bound to the iterables
            case ast.DictComp(value=value):
                return self._unsafe_pieces(value, at, sub)
            case ast.Subscript(value=value):
                # A choice from a collection of module SQL is module SQL, whatever the key.
                return self._unsafe_pieces(value, at, sub)
            case ast.Call():
                return self._unsafe_call(node, at, sub)
            case ast.Name(id=name):
                return self._unsafe_name(node, name, at, sub)
        return [node]

    def _unsafe_call(self, node: ast.Call, at: ast.AST, depth: int) -> list[ast.expr]:
        func = node.func
        if isinstance(func, ast.Name) and func.id in NUMBER_CALLS:
            return []
        if isinstance(func, ast.Name) and func.id in PASS_THROUGH:
            return [p for a in node.args for p in self._unsafe_pieces(a, at, depth)]
        # psycopg.sql composition: identifiers and literals are quoted.
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "sql"
        ):
            return []
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join", *SAFE_METHODS):
            args = [*node.args, *(k.value for k in node.keywords)]
            pieces = self._unsafe_pieces(func.value, at, depth)
            return pieces + [p for a in args for p in self._unsafe_pieces(a, at, depth)]
        return [node]

    def _unsafe_name(self, node: ast.Name, name: str, at: ast.AST, depth: int) -> list[ast.expr]:
        scope = self.module.scope_of(at)
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and name in {
            a.arg for a in (*scope.args.args, *scope.args.kwonlyargs, *scope.args.posonlyargs)
        }:
            return self._unsafe_parameter(node, scope, name, depth)
        bound = self._assigned_values(name, at)
        if not bound:
            return [node]  # imported, or bound in a way this scan does not follow
        return [p for b in bound for p in self._unsafe_bound(b, node, at, depth)]

    def _unsafe_bound(
        self, bound: _Bound, node: ast.expr, at: ast.AST, depth: int
    ) -> list[ast.expr]:
        if bound.index is None:
            return self._unsafe_pieces(bound.value, at, depth)
        # ``a, b = f(...)``: what this module's function ``f`` returns in that place.
        call = bound.value
        function = (
            self.module.functions.get(call.func.id)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            else None
        )
        if isinstance(call, ast.Tuple):
            return self._unsafe_pieces(call.elts[bound.index], at, depth)
        if function is None:
            return [node]
        pieces: list[ast.expr] = []
        for ret in ast.walk(function):
            if not isinstance(ret, ast.Return) or ret.value is None:
                continue
            if isinstance(ret.value, ast.Tuple) and bound.index < len(ret.value.elts):
                pieces += self._unsafe_pieces(ret.value.elts[bound.index], ret, depth)
            else:
                pieces.append(ret.value)
        return pieces

    def _unsafe_parameter(
        self, node: ast.Name, scope: ast.FunctionDef | ast.AsyncFunctionDef, name: str, depth: int
    ) -> list[ast.expr]:
        """A private function's parameter is module SQL when every call here passes module SQL."""
        if not scope.name.startswith("_"):
            return [node]
        position = [a.arg for a in (*scope.args.posonlyargs, *scope.args.args)]
        passed: list[tuple[ast.expr, ast.Call]] = []
        for call in ast.walk(self.module.tree):
            if not (isinstance(call, ast.Call) and _call_name(call.func) == scope.name):
                continue
            for keyword in call.keywords:
                if keyword.arg == name:
                    passed.append((keyword.value, call))
            if name in position and position.index(name) < len(call.args):
                passed.append((call.args[position.index(name)], call))
        if not passed:
            return [node]
        return [p for value, call in passed for p in self._unsafe_pieces(value, call, depth)]

    def _assigned_values(self, name: str, at: ast.AST) -> list[_Bound]:
        """What ``name`` is bound to in the scope of ``at`` (else at module level)."""
        scope = self.module.scope_of(at)
        key = (id(scope), name)
        if key not in self._bound:
            found = _bindings(scope, name)
            if not found and scope is not self.module.tree:
                found = self._module_bindings(name)
            self._bound[key] = found
        return self._bound[key]

    def _module_bindings(self, name: str) -> list[_Bound]:
        key = (id(self.module.tree), f"<top>{name}")
        if key not in self._bound:
            self._bound[key] = _bindings(self.module.tree, name, top_level=True)
        return self._bound[key]


@dataclass(frozen=True)
class _Bound:
    """A value bound to a name; ``index`` when the name takes one item of an unpacked tuple."""

    value: ast.expr
    index: int | None = None


def _bindings(scope: ast.AST, name: str, *, top_level: bool = False) -> list[_Bound]:
    """Values bound to ``name`` in ``scope``: assignments, loops (bound to their iterable) and
    what is appended to it."""
    nodes = scope.body if top_level and isinstance(scope, ast.Module) else [scope]
    found: list[_Bound] = []
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Assign):
                found.extend(
                    _Bound(node.value, _index(t, name)) for t in node.targets if _binds(t, name)
                )
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and _binds(node.target, name):
                if node.value is not None:
                    found.append(_Bound(node.value))
            elif isinstance(node, (ast.For, ast.comprehension)) and _binds(node.target, name):
                counted = (
                    isinstance(node.iter, ast.Call) and _call_name(node.iter.func) == "enumerate"
                )
                # ``for i, x in enumerate(...)``: ``i`` is a count; else the iterable's items.
                counted = counted and _index(node.target, name) == 0
                found.append(_Bound(ast.Constant(0) if counted else node.iter))
            elif isinstance(node, ast.Call) and _grows(node, name):
                found.extend(_Bound(a) for a in node.args)
    return found


def _index(target: ast.expr, name: str) -> int | None:
    if isinstance(target, ast.Tuple):
        return next(i for i, e in enumerate(target.elts) if _binds(e, name))
    return None


def _grows(node: ast.AST, name: str) -> bool:
    """``name.append(x)``, ``.extend``, ``.insert``: a list built up is what was put in it."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("append", "extend", "insert")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == name
    )


def _binds(target: ast.expr, name: str) -> bool:
    if isinstance(target, ast.Name):
        return target.id == name
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_binds(e, name) for e in target.elts)
    return False


def _is_plain(targets: list[ast.expr], name: str) -> bool:
    """``name = value`` (not unpacked from a tuple, where the value is not the name's alone)."""
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def scan_source(path: Path, relative: str) -> list[Finding]:
    return Scanner(_Module(path, relative)).scan()


def scan_tree(root: Path) -> list[Finding]:
    found: list[Finding] = []
    for path in sorted(root.rglob("*.py")):
        found.extend(scan_source(path, path.relative_to(root).as_posix()))
    return found
