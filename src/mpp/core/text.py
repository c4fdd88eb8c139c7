"""Text folding for search: what people type ("kab. banyuwangi", "Bukit Tinggi") meets stored names."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"kab": "kabupaten", "kep": "kepulauan", "prov": "provinsi"}


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, expand common abbreviations."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NON_WORD.sub(" ", ascii_text.lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def search_terms(query: str) -> list[str]:
    return fold(query).split()
