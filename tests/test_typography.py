"""Chinese typography: every Chinese sentence the portal renders or exports uses full-width
punctuation (，：；（）！？), as official documents do. Users copy the report's narrative and the
pages' labels straight into documents, so the catalogue is checked entry by entry."""

import re

from tests.test_translations import catalogue

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# What may keep ASCII punctuation inside Chinese text: placeholders, markup, addresses,
# entities, and digits around a separator (1,200 and 10:30).
EXEMPT = re.compile(
    r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdfrg]|%[sdfr]|\{\{.*?\}\}|\{[^{}]*\}"
    r"|https?://\S+|&[a-z]+;|<[^>]+>|\d[,:]\d"
)
HALF_WIDTH = re.compile(r"[,:;()!?]")


def half_width_punctuation(text):
    """The ASCII punctuation marks written in Chinese text, with a little context each."""
    if not CHINESE.search(text):
        return []
    bare = EXEMPT.sub("", text)
    return [bare[max(0, m.start() - 6) : m.end() + 6] for m in HALF_WIDTH.finditer(bare)]


def test_the_checker_tells_half_width_from_full_width():
    assert len(half_width_punctuation("户数(户)")) == 2
    assert half_width_punctuation("最近一次会议:") == ["最近一次会议:"]
    assert half_width_punctuation("户数（户）：1,200户，10:30开会") == []
    assert half_width_punctuation("%(count)s个院落（%(rate).1f%%）") == []
    assert half_width_punctuation("Households (yuan), 50") == []


def test_every_chinese_translation_uses_full_width_punctuation():
    offenders = {
        msgid: found
        for (_context, msgid), (msgstrs, _flags) in catalogue().items()
        for msgstr in msgstrs
        if msgid and (found := half_width_punctuation(msgstr))
    }
    assert offenders == {}
