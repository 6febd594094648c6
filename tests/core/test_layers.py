"""The apps are layers: an app imports only apps below it (docs/architecture.md).

Every application module is parsed (ast, nothing is imported) and each import of
another app is checked against LAYERS. At module level (and under TYPE_CHECKING) an
app may import only apps in lower layers; apps in the same layer do not import each
other. Inside a function an import of another app is allowed only if it is listed
in CONTRACTS with the contract it serves, and a listed contract that no longer
exists fails too, so the list stays as short as the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. Apps in one tuple are peers and do not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("accounts",),
    ("statements",),
    ("discussion", "voting"),
    ("workflow", "maillist"),
    # meetings plans meetings and decides papers in the room through workflow/voting;
    # inbound turns replies by e-mail into answers through the discussion's services
    # (notifications reads its signed reply addresses for the Reply-To header).
    ("meetings", "inbound"),
    ("notifications",),
    ("public",),
    ("rtm_workflow",),  # the project: settings, root URLs, security middleware
)
LAYER = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

# (module, imported module) -> the named contract by which a lower app calls a higher one.
CONTRACTS: dict[tuple[str, str], str] = {
    ("core.events", "notifications.services"): (
        "the event hook: emit() hands a domain event to the notifications app"
    ),
    ("statements.transitions", "voting.selectors"): (
        "the close_vote condition: django-fsm asks the voting app whether the ballot may close"
    ),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def application_modules() -> list[tuple[str, Path]]:
    found = []
    for app in LAYER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found.append((_module_name(path), path))
    return found


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or not node.module:
        return []  # relative: inside the same app
    # `from app import module` names modules too: check both spellings.
    return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]


def imports_of(path: Path) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function?, line) for each import in the file."""
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend((name, in_function, child.lineno) for name in _imported(child))
            inner = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False)
    return found


def cross_app_imports() -> list[tuple[str, str, bool, str]]:
    """(module, imported module, in function, where) for imports of another app."""
    result = []
    for module, path in application_modules():
        app = module.split(".")[0]
        seen = set()
        for name, in_function, line in imports_of(path):
            other = name.split(".")[0]
            if other not in LAYER or other == app:
                continue
            # `from voting import selectors` → voting.selectors, and not also "voting".
            key = (name, in_function)
            if key in seen:
                continue
            seen.add(key)
            result.append((module, name, in_function, f"{path.relative_to(ROOT)}:{line}"))
    return result


def _is_upward_or_sideways(module: str, imported: str) -> bool:
    return LAYER[imported.split(".")[0]] >= LAYER[module.split(".")[0]]


def _contract_for(module: str, imported: str) -> str | None:
    for (mod, target), contract in CONTRACTS.items():
        if module == mod and (imported == target or imported.startswith(target + ".")):
            return contract
    return None


def test_every_app_is_in_a_layer():
    apps = {
        p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in {"tests", "bench"}
    }
    assert apps - set(LAYER) == set(), "put the new app into LAYERS (and docs/architecture.md)"


def test_no_app_imports_an_app_above_it_at_module_level():
    wrong = [
        f"{where}: {module} imports {imported}"
        for module, imported, in_function, where in cross_app_imports()
        if not in_function and _is_upward_or_sideways(module, imported)
    ]
    assert wrong == [], "\n".join(wrong)


def test_function_level_imports_of_other_apps_serve_a_listed_contract():
    wrong = [
        f"{where}: {module} imports {imported} inside a function"
        for module, imported, in_function, where in cross_app_imports()
        if in_function
        and not (_is_upward_or_sideways(module, imported) and _contract_for(module, imported))
    ]
    assert wrong == [], (
        "import lower apps at module level; reach a higher one only through a contract "
        "in CONTRACTS:\n" + "\n".join(wrong)
    )


def test_every_listed_contract_is_used():
    used = {
        (module, imported)
        for module, imported, in_function, _ in cross_app_imports()
        if in_function
    }
    stale = [
        key
        for key in CONTRACTS
        if not any(m == key[0] and (i == key[1] or i.startswith(key[1] + ".")) for m, i in used)
    ]
    assert stale == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The parser finds imports at module level, in functions and under TYPE_CHECKING."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "import public.cache\n"
        "if TYPE_CHECKING:\n"
        "    from voting.models import Ballot\n"
        "def f():\n"
        "    from notifications import services\n",
        encoding="utf-8",
    )
    assert imports_of(sample) == [
        ("typing", False, 1),
        ("typing.TYPE_CHECKING", False, 1),
        ("public.cache", False, 2),
        ("voting.models", False, 4),
        ("voting.models.Ballot", False, 4),
        ("notifications", True, 6),
        ("notifications.services", True, 6),
    ]
    assert _is_upward_or_sideways("statements.views", "public.cache")
    assert _is_upward_or_sideways("voting.services", "discussion.models")  # peers
    assert not _is_upward_or_sideways("public.views", "statements.models")


def _routes(resolver: URLResolver, path: str) -> list[str]:
    """Every URL pattern (not only the first) that would answer `path`."""
    found = []
    for pattern in resolver.url_patterns:
        match = pattern.pattern.match(path)
        if not match:
            continue
        rest = match[0]
        if isinstance(pattern, URLResolver):
            found += [f"{pattern.namespace}:{name}" for name in _routes(pattern, rest)]
        elif isinstance(pattern, URLPattern):
            found.append(pattern.name or "?")
    return found


@pytest.mark.parametrize(
    ("path", "routes"),
    [
        ("statements/ein-papier/", ["public:statement_page"]),
        ("statements/new/", ["statements:new"]),
        ("statements/feed/", ["public:feed"]),
    ],
)
def test_a_paper_page_is_routed_once(path, routes):
    assert _routes(get_resolver(), path) == routes
