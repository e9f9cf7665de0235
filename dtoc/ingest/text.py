"""Text that reaches a message, a publication or a judgement: file names, CSV encodings, visible text.

- A file name that is not valid UTF-8 (Python holds its odd bytes as surrogates) cannot be written into the
  UTF-8 files a publication records its inputs in; every reader refuses such a file, naming it with the odd
  bytes escaped ('\\xff'), and asks for it to be renamed.
- printable() is how every message shows odd characters: control and invisible format characters, and the
  odd bytes of a file name, backslash-escaped, so a message is one honest line on any terminal.
- A CSV file is UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's 'Unicode
  Text' export), or else Windows-1252.
- Text counts as given only if it holds a visible character: a letter, digit, punctuation mark or symbol.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from dtoc.errors import InputError

UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
VISIBLE_CATEGORIES = frozenset("LNPS")  # letters, numbers, punctuation, symbols (not spaces, marks, controls)
KEPT_CATEGORIES = VISIBLE_CATEGORIES | {"M"}  # and the accents that follow a letter: what trimming keeps


def escape_character(character: str) -> str:
    """'\\udcff' (an odd byte of a file name) -> '\\xff'; other characters Python escapes as repr does."""
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: object) -> str:
    """The text with control characters, invisible format characters and surrogates backslash-escaped."""
    shown = str(text)
    if shown.isprintable():
        return shown
    return "".join(
        escape_character(c) if c != " " and unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in shown
    )


def check_file_name(path: Path, what: str = "file") -> None:
    """InputError for a file whose name is not valid UTF-8, naming it with its odd bytes escaped."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"the {what} name is not valid UTF-8 (the escaped bytes are from another character set), so it "
            "cannot be recorded in dtoc's UTF-8 outputs; rename the file and run again",
            file=printable(path),
        ) from None


def csv_encoding(path: Path) -> str:
    """'utf-16' for a file starting with a UTF-16 byte-order mark, else 'utf-8-sig' (the caller falls back to
    'cp1252' when the file is not UTF-8)."""
    with path.open("rb") as handle:
        return "utf-16" if handle.read(2) in UTF16_MARKS else "utf-8-sig"


def visible(text: str | None) -> str | None:
    """The text without the spaces, zero-width and control characters around it; None if it holds no visible
    character ('\u200b', '\u00a0 ', '')."""
    if text is None or not any(unicodedata.category(c)[0] in VISIBLE_CATEGORIES for c in text):
        return None
    kept = [unicodedata.category(c)[0] in KEPT_CATEGORIES for c in text]
    return text[kept.index(True) : len(kept) - kept[::-1].index(True)]
