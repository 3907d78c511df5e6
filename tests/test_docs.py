"""The engineers' documentation names only what exists: every file path and every dotted
name of the project's code that docs/*.md and README.md cite in `code` is found."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([*ROOT.glob("docs/*.md"), ROOT / "README.md"])
PACKAGES = (
    "portal",
    "courtyards",
    "councils",
    "funds",
    "inspections",
    "concerns",
    "assessments",
    "tests",
    "bench",
)
FOLDERS = (*PACKAGES, "templates", "static", "locale", "docs", ".ci")
CODE = re.compile(r"`([^`\n]+)`")
# a path of the project's, up to what is not part of one (`<app>/rules.py` is a pattern)
PATH = re.compile(rf"(?<![\w./<>*-])((?:{'|'.join(re.escape(f) for f in FOLDERS)})/[\w./-]*\w/?)")


def cited(kind):
    """(doc, citation) pairs: "path" for the project's file paths, written in `code` or in
    plain text; "name" for dotted names of its code, written in `code`."""
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        if kind == "path":
            for path in PATH.findall(text):
                yield doc.name, path
            continue
        for code in CODE.findall(text):
            code = re.sub(r"\(.*\)$", "", code.strip())  # a call: the function's name
            if re.fullmatch(rf"(?:{'|'.join(PACKAGES)})(?:\.\w+)+", code):
                yield doc.name, code


def resolves(dotted):
    """A module or a name in one; a model (`councils.Person`); a permission
    (`funds.generate_allocation`); or a logger the code names (`portal.security`)."""
    return is_code(dotted) or is_model(dotted) or is_permission(dotted) or is_logger(dotted)


def is_model(label):
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True


def is_permission(name):
    app_label, _, codename = name.partition(".")
    try:
        models = apps.get_app_config(app_label).get_models()
    except LookupError:
        return False
    for model in models:
        declared = [code for code, _label in model._meta.permissions]
        default = [
            f"{action}_{model._meta.model_name}" for action in model._meta.default_permissions
        ]
        if codename in declared + default:
            return True
    return False


def is_logger(name):
    call = f'getLogger("{name}")'
    return any(
        call in path.read_text() for package in PACKAGES for path in ROOT.glob(f"{package}/**/*.py")
    )


def is_code(dotted):
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_the_docs_cite_files_and_names():
    assert len(list(cited("path"))) > 40
    assert len(list(cited("name"))) > 20


@pytest.mark.parametrize(("doc", "path"), sorted(set(cited("path"))))
def test_a_cited_path_exists(doc, path):
    assert (ROOT / path).exists(), f"{doc} cites {path}, which does not exist"


@pytest.mark.parametrize(("doc", "name"), sorted(set(cited("name"))))
def test_a_cited_dotted_name_exists(doc, name):
    assert resolves(name), f"{doc} cites {name}, which does not exist"
