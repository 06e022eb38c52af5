"""The names a template uses, checked against its type's catalogue by walking the Jinja tree.

Every name printed, tested or looped over must be a variable of the type (the nearest known
name suggested, difflib); inside ``{% for row in table %}`` the row's fields are checked too;
a loop runs only over a list. ``{% set %}``, macros and ``loop`` bind names of their own.
"""

from __future__ import annotations

import difflib
from typing import Any

from jinja2 import nodes

from service.documents.catalogue import FLAG, GROUP, LIST, ROW, TABLE, Variable

_ANY = Variable("", "any")


def _names(target: nodes.Node) -> list[str]:
    """The names a loop or ``set`` binds: ``x`` or ``a, b``."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


class Names:
    """Walks the Jinja tree: every name used must be in the catalogue, loops over lists only."""

    def __init__(self, known: dict[str, Variable], problems: list[str], used: set[str]) -> None:
        self.known = known
        self.problems = problems  # where each problem is added, in Vietnamese
        self.used = used  # the top-level names seen
        self.seen: set[str] = set()

    def problem(self, name: str, choices: list[str], what: str = "Biến") -> None:
        if name in self.seen:
            return
        self.seen.add(name)
        near = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        hint = f"; có phải “{near[0]}”?" if near else "."
        self.problems.append(f"{what} “{name}” không có trong dữ liệu của loại văn bản này{hint}")

    def _all_paths(self) -> list[str]:
        out: list[str] = []

        def walk(items: dict[str, Variable]) -> None:
            for item in items.values():
                out.append(item.path)
                if item.kind == GROUP:
                    walk(item.fields)

        walk(self.known)
        return out

    def resolve(self, node: nodes.Node, scope: dict[str, Variable]) -> Variable | None:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.known:
                self.used.add(node.name)
                return self.known[node.name]
            self.problem(node.name, self._all_paths())
            return None
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            key = node.attr if isinstance(node, nodes.Getattr) else \
                node.arg.value if isinstance(node.arg, nodes.Const) else None
            base = self.resolve(node.node, scope)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.visit(node.arg, scope)
            if base is None or base is _ANY:
                return base
            if base.kind in (GROUP, ROW) and isinstance(key, str):
                if key in base.fields:
                    return base.fields[key]
                name = f"{base.path.removesuffix('[]')}.{key}" if base.kind == GROUP else key
                self.problem(name, list(base.fields) if base.kind == ROW else self._all_paths(),
                             "Trường" if base.kind == ROW else "Biến")
                return None
            if base.kind == TABLE and isinstance(key, int):
                return Variable(f"{base.path}[]", ROW, fields=base.fields)
            return _ANY
        self.visit(node, scope)
        return _ANY

    def loop_item(self, node: nodes.Node, scope: dict[str, Variable]) -> Variable:
        while isinstance(node, nodes.Filter) and node.node is not None:
            node = node.node  # {% for x in rows|reverse %}
        found = self.resolve(node, scope)
        if found is None or found is _ANY:
            return _ANY
        if found.kind == TABLE:
            return Variable(f"{found.path}[]", ROW, fields=found.fields)
        if found.kind == LIST:
            return _ANY
        if found.kind == GROUP:
            return _ANY  # {% for key, value in group.items() %}
        self.problems.append(f"Vòng lặp qua “{found.path}”, nhưng “{found.path}” không phải "
                                    "danh sách (là một giá trị" + (" đúng/sai" if found.kind == FLAG else "")
                                    + "): chỉ lặp được qua danh sách.")
        return _ANY

    def visit(self, node: nodes.Node, scope: dict[str, Variable]) -> None:
        if isinstance(node, nodes.For):
            item = self.loop_item(node.iter, scope)
            inner = dict(scope, loop=_ANY)
            for target in _names(node.target):
                inner[target] = item if isinstance(node.target, nodes.Name) else _ANY
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for target in _names(node.target):
                scope[target] = _ANY
            children: Any = [node.node] if isinstance(node, nodes.Assign) else node.body
            for child in children:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope, caller=_ANY, varargs=_ANY, kwargs=_ANY)
            for arg in node.args:
                inner[arg.name] = _ANY
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
            for child in node.body:
                self.visit(child, inner)
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call, scope)
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)
