"""The layers of the house (docs/architecture.md, "Layers"), read from the source itself.

Every import statement is read with ast, at module level and inside functions alike, so a
late import to dodge a cycle still counts. Migrations are left out: they are history.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The apps in the order they build on one another: each may import only those before it.
APPS = [
    "courtyards",
    "councils",
    "funds",
    "inspections",
    "concerns",
    "notices",
    "assessments",
    "commendations",
    # "reminders" belongs last, once the ground no longer imports it (portal/access.py and
    # portal/context_processors.py do today).
]
TOP = "portal.reports"
# Modules of portal that hand over to the top layer: the root URLconf and the command writing
# the annual workbook (commands must sit in an installed app; portal/reports is not one).
TOP_ENTRY_POINTS = {"portal/urls.py"}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path):
    """(line, statement, modules it may import) for every import in the file, relative
    imports resolved: `from portal import reports` may import portal.reports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.append((node.lineno, ast.unparse(node), [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [f"{module}.{alias.name}" for alias in node.names]
            found.append((node.lineno, ast.unparse(node), [module, *names]))
    return sorted(found)


def _sources():
    for top in ["portal", *APPS]:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path


def _within(module, package):
    return module == package or module.startswith(package + ".")


def _graph():
    """(file, line, statement, modules) for every import of portal and the apps."""
    return [
        (path.relative_to(ROOT).as_posix(), line, statement, modules)
        for path in _sources()
        for line, statement, modules in _imports(path)
    ]


def _reaches(modules, packages):
    return any(_within(module, package) for module in modules for package in packages)


def _show(found):
    return "\n".join(f"{file}:{line}: {statement}" for file, line, statement, _ in found)


def test_the_ground_floor_imports_no_app():
    """portal, but for portal/reports and the root URLconf, is what every app builds on."""
    found = [
        (file, line, statement, modules)
        for file, line, statement, modules in _graph()
        if file.startswith("portal/")
        and not file.startswith("portal/reports/")
        and file != "portal/urls.py"
        and _reaches(modules, APPS)
    ]
    assert not found, "The ground floor (portal) must not import an app:\n" + _show(found)


def test_no_app_imports_the_top_layer():
    found = [
        (file, line, statement, modules)
        for file, line, statement, modules in _graph()
        if file.split("/")[0] in APPS and _reaches(modules, [TOP])
    ]
    assert not found, "Apps must not import portal.reports (it imports them):\n" + _show(found)


def test_only_the_entry_points_of_the_ground_floor_reach_the_top_layer():
    found = [
        (file, line, statement, modules)
        for file, line, statement, modules in _graph()
        if file.startswith("portal/")
        and not file.startswith("portal/reports/")
        and file not in TOP_ENTRY_POINTS
        and _reaches(modules, [TOP])
    ]
    assert not found, "Only the entry points may import portal.reports:\n" + _show(found)


def test_each_app_imports_only_the_apps_below_it():
    """courtyards imports no other app, councils only courtyards, funds courtyards and
    councils; what an app above needs reaches a page through panels, not imports."""
    found = []
    for file, line, statement, modules in _graph():
        app = file.split("/")[0]
        if app in APPS and _reaches(modules, APPS[APPS.index(app) + 1 :]):
            found.append((file, line, statement, modules))
    assert not found, (
        "An app imports one above it (order: " + ", ".join(APPS) + "):\n" + _show(found)
    )


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "portal" / "things" / "mod.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def f():\n    from courtyards.models import Courtyard\nfrom . import other\n"
    )
    assert [(line, modules) for line, _, modules in _imports(module)] == [
        (2, ["courtyards.models", "courtyards.models.Courtyard"]),
        (3, ["portal.things", "portal.things.other"]),
    ]
