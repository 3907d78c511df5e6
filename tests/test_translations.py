"""Everything a user reads is in Simplified Chinese: every string the code and templates
mark for translation has a zh_Hans translation in the committed catalogue, none is fuzzy or
empty, and the compiled catalogue is as new as its source."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
APPS = ("portal", "courtyards", "councils", "funds", "inspections")
SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop"}
PLURAL = {"ngettext", "ngettext_lazy"}
IN_CONTEXT = {"pgettext", "pgettext_lazy"}
PLURAL_IN_CONTEXT = {"npgettext", "npgettext_lazy"}
TEMPLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>.*?)(?P=q)"""
    r"""(?:\s+context\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?""",
    re.S,
)
TEMPLATE_CALL = re.compile(r"""\b_\((?P<q>["'])(?P<text>.*?)(?P=q)\)""")


def catalogue():
    """{(context, msgid): (msgstrs, flags)} of the committed .po file."""
    entries, entry, field = {}, None, None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and "msgid" in entry:
                key = (entry.get("msgctxt"), entry["msgid"])
                strs = [value for name, value in entry.items() if name.startswith("msgstr")]
                entries[key] = (strs, entry.get("flags", ""))
            entry, field = None, None
            continue
        entry = entry if entry is not None else {}
        if line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _space, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return entries


def _constant(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def marked_in_code():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                texts = [_constant(arg) for arg in node.args[:2]]
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if name in SINGULAR | PLURAL and texts[0]:
                    yield where, (None, texts[0])
                elif name in IN_CONTEXT | PLURAL_IN_CONTEXT and len(texts) == 2 and all(texts):
                    yield where, (texts[0], texts[1])


def marked_in_templates():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in TEMPLATE_TAG.finditer(text):
            # a template's % is a literal: Django's catalogue holds it doubled
            msgid = match["text"].replace("%", "%%")
            yield str(path.relative_to(ROOT)), (match["context"], msgid)
        for match in TEMPLATE_CALL.finditer(text):
            yield str(path.relative_to(ROOT)), (None, match["text"])


def test_every_marked_string_has_a_translation():
    translated = catalogue()
    marked = [*marked_in_code(), *marked_in_templates()]
    assert len(marked) > 1000
    missing = [f"{where}: {key[1]!r}" for where, key in marked if key not in translated]
    assert not missing, "add these to the catalogue (make messages), translated"


def test_no_translation_is_empty_or_fuzzy():
    bad = [
        key[1]
        for key, (strs, flags) in catalogue().items()
        if key[1] and ("fuzzy" in flags or not all(strs))
    ]
    assert not bad


@pytest.mark.skipif(not CATALOGUE.with_suffix(".mo").exists(), reason="no compiled catalogue")
def test_the_compiled_catalogue_is_committed_with_its_source():
    from django.core.management import call_command

    compiled = CATALOGUE.with_suffix(".mo")
    before = compiled.read_bytes()
    try:
        call_command("compilemessages", locale=["zh_Hans"], verbosity=0)
        assert compiled.read_bytes() == before, "run make messages and commit django.mo"
    finally:
        compiled.write_bytes(before)
