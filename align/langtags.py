"""The language tags written into TMX and TBX files.

Chinese is tagged by script, ``zh-Hans`` or ``zh-Hant`` (BCP 47), read from the text itself:
a region such as zh-CN says where, not how it is written, and a Hong Kong article in
traditional characters tagged zh-CN would be matched against the wrong memory. A run may
name its own tag (a CAT project set up as zh-CN or zh-TW); it must still be a Chinese tag.
"""

from __future__ import annotations

import regex

from align.errors import InputError
from align.scripts import language_tag

EN_TAG = "en"
#: The attribute TMX and TBX carry those tags in (ElementTree spells the xml: namespace out).
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ZH_TAG = regex.compile(r"zh(?:-[A-Za-z0-9]{1,8})*")


def check_zh_tag(tag: str) -> str:
    """``tag`` if it is a BCP 47 tag for Chinese (``zh`` then subtags), else ``InputError``."""
    if not _ZH_TAG.fullmatch(tag):
        raise InputError(
            f"Chinese language tag {tag!r} is not a BCP 47 tag for Chinese; "
            "use e.g. zh-Hans, zh-Hant, zh-CN or zh-TW"
        )
    return tag


def zh_tag(text: str, override: str | None = None) -> str:
    """The tag for Chinese ``text``: ``override`` if given (checked), else by its script."""
    return check_zh_tag(override) if override is not None else language_tag(text)
