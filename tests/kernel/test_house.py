"""The house's import rules, read from the source (docs/architecture.md explains them):

- the kernel imports no feature (the Alembic environment and revisions excepted: the schema's
  history spans every feature, and ``app.models`` gathers their tables for it);
- a feature imports another feature only through that feature's public faces (:data:`FACES`);
- only ``app`` (the composition root) and ``publish`` (which renders through the app) import
  ``app``.

:data:`DEBTS` lists the deep imports that were there when the house was built, each a place to
mend: the test fails when a new one appears, and when one is mended but still listed, so the
list can only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "childsafe"
FEATURES = (
    "accounts",
    "audit",
    "review",
    "editorial",
    "coalition",
    "reports",
    "indicators",
    "referrals",
    "publish",
    "search",
    "campaign",
)
KERNEL_EXCEPTIONS = ("childsafe.kernel.db.migrations",)

FACES: dict[str, frozenset[str]] = {
    "accounts": frozenset({"bootstrap", "model", "models", "schemas", "service", "web"}),
    "audit": frozenset({"entry", "schemas", "store"}),
    "review": frozenset(
        {
            "bootstrap",
            "documents",
            "explorer",
            "interfaces",
            "model.assessments",
            "model.framework",
            "model.results",
            "model.validation",
            "model.values",
            "schemas",
            "service",
            "web.charts",
            "web.worldmap",
        }
    ),
    "editorial": frozenset({"model", "schemas", "service", "store"}),
    "coalition": frozenset({"bootstrap", "data", "model", "models", "schemas"}),
    "reports": frozenset({"schemas"}),
    "referrals": frozenset(),
    "indicators": frozenset({"bootstrap", "service", "web.charts"}),
    "publish": frozenset(),
    "search": frozenset(),
    "campaign": frozenset({"bootstrap"}),
}

DEBTS: frozenset[tuple[str, str]] = frozenset()  # every debt of the move is mended


def _imports() -> list[tuple[str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((module, node.module))
            elif isinstance(node, ast.Import):
                found += [(module, alias.name) for alias in node.names]
    return [(m, n) for m, n in found if n == "childsafe" or n.startswith("childsafe.")]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_feature_and_the_kernel_are_packages() -> None:
    for name in (*FEATURES, "kernel", "app"):
        assert (PACKAGE / name / "__init__.py").is_file(), name
    layers = [p.name for p in PACKAGE.iterdir() if p.name in ("domain", "services", "storage")]
    assert layers == [], "the layer folders are gone: a feature is found in one folder"


def test_the_kernel_imports_no_feature() -> None:
    wrong = [
        (m, n)
        for m, n in _imports()
        if _part(m) == "kernel"
        and _part(n) not in ("kernel", "")
        and not m.startswith(KERNEL_EXCEPTIONS)
    ]
    assert wrong == []


def test_only_the_root_and_publishing_import_the_app() -> None:
    wrong = [
        (m, n)
        for m, n in _imports()
        if _part(n) == "app"
        and _part(m) not in ("app", "publish", "__main__")
        and not m.startswith(KERNEL_EXCEPTIONS)
    ]
    assert wrong == []


def _deep(importer: str, imported: str) -> bool:
    feature = _part(imported)
    if feature not in FACES or feature == _part(importer):
        return False
    face = imported.removeprefix(f"childsafe.{feature}").removeprefix(".")
    return face not in FACES[feature]


def test_features_meet_only_through_their_faces() -> None:
    deep = {(m, n) for m, n in _imports() if _part(m) in FEATURES and _deep(m, n)}
    assert deep - DEBTS == set(), "a new deep import: use the feature's face, or widen it here"
    assert DEBTS - deep == set(), "a debt was mended: strike it from DEBTS"


def test_the_architecture_picture_names_packages_that_exist() -> None:
    """docs/architecture.md draws the house; every package it names is one."""
    doc = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = doc.split("```mermaid", 1)[1].split("```", 1)[0]
    named = {word for line in picture.splitlines()[2:] for word in line.split() if word != "-->"}
    assert named, "the picture is drawn"
    assert sorted(n for n in named if not (PACKAGE / n / "__init__.py").is_file()) == []
    drawn = {
        (a, b) for a, _, b in (line.split() for line in picture.splitlines()[2:] if "-->" in line)
    }
    imported = {(_part(m), _part(n)) for m, n in _imports() if _part(m) != _part(n)}
    assert drawn - imported == set(), "an arrow the code does not have"
