"""Search over national service templates, the way people write.

`rank_templates(query)` returns the ids of published templates, best first. Text on both sides
goes through the same analysis: `fold`, stopwords dropped, colloquial words, variants and
abbreviations mapped (`search_synonyms`), Indonesian affixes stripped by the Sastrawi stemmer
(pembuatan/membuat/buat -> "buat"; bikin -> "buat" through the synonym table). Query words the
catalogue does not know are corrected to the nearest catalogue word (optimal string alignment
distance: "skkc" -> "skck", "sertifkat" -> "sertifikat"), and a last word still being typed is
completed ("pasp" -> "paspor").

Scoring is BM25 over weighted fields (name > colloquial names > English name, agency > life
events), scaled by how much of the query (by idf) a template covers, with a bonus when the query
is a template's name or one of its colloquial names, or a run of words inside one.

The index lives in memory, one per process, rebuilt when the templates' fingerprint (count, last
`updated_at`, sums of ids and current version ids) changes: a search costs one small aggregate
query. `save_template` touches `updated_at` (life events are set in the same transaction) and
publishing changes `current_version_id`. Renaming an agency kind or a life event is seen at the
next template change or `clear_cache()`.
"""

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max, Sum
from rapidfuzz import process
from rapidfuzz.distance import OSA
from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary  # type: ignore[import-untyped]
from Sastrawi.Stemmer.Stemmer import Stemmer  # type: ignore[import-untyped]
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # type: ignore[import-untyped]

from mpp.catalog.models import ServiceTemplate
from mpp.catalog.search_synonyms import PHRASES, STEM_OVERRIDES, STOPWORDS, WORDS
from mpp.core.text import fold

# What a term found in each field is worth.
FIELD_WEIGHTS = {"name": 3.0, "common": 2.0, "name_en": 1.0, "agency": 1.0, "events": 0.5}
K1, B = 1.2, 0.3  # BM25 saturation and length normalisation
EXACT_BONUS = 1.5  # the query is the template's name or one of its colloquial names
PHRASE_BONUS = 1.2  # the query's words run together inside one of them
MIN_RATIO = 0.2  # drop results scoring under this share of the best one
MAX_QUERY_CHARS = 200  # what a search box sends; longer input is cut, not analysed

_PHRASE_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in sorted(PHRASES, key=len, reverse=True)) + r")\b"
)


# --- Analysis --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    # The plain stemmer: the factory's cached one keeps every word ever seen, unbounded.
    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


def is_dictionary_word(word: str) -> bool:
    """A root word of Sastrawi's Indonesian dictionary (not a typo, even if we do not know it)."""
    return bool(_stemmer().dictionary.contains(word))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The root of one folded word: pendaftaran -> daftar; ktpnya -> ktp; daftarin -> daftar."""
    if word in STEM_OVERRIDES:
        return STEM_OVERRIDES[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    stemmer = _stemmer()
    root: str = stemmer.stem_word(word)
    if root != word or is_dictionary_word(word):
        return root
    # Colloquial suffixes Sastrawi does not strip: -nya on abbreviations, Jakartan -in.
    if word.endswith("nya") and len(word) >= 6:
        return stem(word[:-3])
    if word.endswith("in") and len(word) >= 6:
        base_root: str = stemmer.stem_word(word[:-2])
        if is_dictionary_word(base_root) or base_root in WORDS:
            return base_root
    return root


def _map_words(words: Iterable[str]) -> list[str]:
    mapped: list[str] = []
    for word in words:
        if word not in STOPWORDS:
            mapped.extend(w for w in WORDS.get(word, word).split() if w not in STOPWORDS)
    return mapped


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order."""
    words = " ".join(_map_words(fold(text).split()))
    words = _PHRASE_RE.sub(lambda m: PHRASES[m.group(0)], words)
    return _map_words(stem(word) for word in words.split())


# --- Index -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Doc:
    template_id: int
    length: float  # weighted number of terms
    phrases: frozenset[tuple[str, ...]]  # analyzed name and colloquial names


@dataclass(frozen=True)
class _Index:
    docs: list[_Doc]
    postings: dict[str, list[tuple[int, float]]]  # term -> [(doc number, weighted frequency)]
    idf: dict[str, float]
    avg_length: float
    words: dict[str, int]  # folded words worth correcting to -> how often the catalogue uses them
    word_list: list[str]


def _fields(template: ServiceTemplate) -> dict[str, list[str]]:
    kind = template.agency_kind
    return {
        "name": [template.name],
        "common": [str(name) for name in template.common_names],
        "name_en": [template.name_en],
        "agency": [kind.name, kind.short_name],
        "events": [event.name for event in template.life_events.all()],
    }


def build_index(templates: Iterable[ServiceTemplate]) -> _Index:
    docs: list[_Doc] = []
    postings: dict[str, list[tuple[int, float]]] = {}
    words: Counter[str] = Counter()
    for number, template in enumerate(templates):
        weights: dict[str, float] = defaultdict(float)
        phrases = set()
        for field, texts in _fields(template).items():
            for text in texts:
                terms = analyze(text)
                words.update(w for w in fold(text).split() if w not in STOPWORDS)
                for term in terms:
                    weights[term] += FIELD_WEIGHTS[field]
                if field in ("name", "common") and terms:
                    phrases.add(tuple(dict.fromkeys(terms)))
        for term, weight in weights.items():
            postings.setdefault(term, []).append((number, weight))
        docs.append(_Doc(template.pk, sum(weights.values()), frozenset(phrases)))
    for key in (*WORDS, *(w for phrase in PHRASES for w in phrase.split())):
        words[key] += 0  # known spellings are correction targets too, ranked last
    n = len(docs)
    idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
    avg_length = sum(d.length for d in docs) / n if n else 1.0
    word_list = [w for w in words if len(w) >= 3 and w.isalpha()]
    return _Index(docs, postings, idf, avg_length, dict(words), word_list)


_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], _Index] | None = None


def _fingerprint() -> tuple[Any, ...]:
    row = ServiceTemplate.objects.aggregate(
        count=Count("id"),
        changed=Max("updated_at"),
        ids=Sum("id"),
        versions=Sum("current_version_id"),
    )
    return (row["count"], row["changed"], row["ids"], row["versions"])


def current_index() -> _Index:
    """The index of published templates, rebuilt when they changed (one query otherwise)."""
    global _cached
    key = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        templates = (
            ServiceTemplate.objects.filter(current_version__isnull=False)
            .select_related("agency_kind")
            .prefetch_related("life_events")
            .order_by("name", "pk")
        )
        index = build_index(templates)
        _cached = (key, index)
        return index


def clear_cache() -> None:
    global _cached
    with _lock:
        _cached = None


# --- Query -----------------------------------------------------------------------------------


def correct(word: str, index: _Index, *, last: bool = False) -> str | None:
    """The catalogue word a folded word the catalogue does not know was meant to be, if any.

    A typo is up to one edit away (a transposition counts as one) for words of up to six letters,
    two for longer ones; ties go to a word with the same first letter, then to the more common
    word. Real Indonesian words are not typos. The last word of a query may be unfinished: it is
    completed to the most common catalogue word it starts.
    """
    if word in index.words or word in STOPWORDS or not word.isalpha() or len(word) < 3:
        return None
    if any(term in index.idf for term in analyze(word)):
        return None
    if len(word) >= 4 and not is_dictionary_word(word):
        cutoff = 1 if len(word) <= 6 else 2
        matches = process.extract(
            word, index.word_list, scorer=OSA.distance, score_cutoff=cutoff, limit=20
        )
        if matches:
            best = min(matches, key=lambda m: (m[1], m[0][0] != word[0], -index.words[m[0]], m[0]))
            return str(best[0])
    if last:
        completions = [w for w in index.word_list if w.startswith(word) and index.words[w]]
        if completions:
            return max(completions, key=lambda w: (index.words[w], -len(w)))
    return None


def query_terms(query: str, index: _Index) -> list[str]:
    """The query's index terms after typo correction, each once, in order."""
    words = fold(query).split()
    fixed = [correct(w, index, last=i == len(words) - 1) or w for i, w in enumerate(words)]
    return [t for t in dict.fromkeys(analyze(" ".join(fixed))) if t in index.idf]


def _runs_inside(needle: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(phrase[i : i + size] == needle for i in range(len(phrase) - size + 1))


def rank_templates(query: str, *, limit: int = 50, min_ratio: float = MIN_RATIO) -> list[int]:
    """Published template ids matching `query`, best first (at most `limit`).

    Results scoring under `min_ratio` of the best one are left out: a word shared by many
    services ("penerbitan", "izin") should not list them all behind the real answer.
    """
    query = query[:MAX_QUERY_CHARS]
    if not fold(query):
        return []
    index = current_index()
    terms = query_terms(query, index)
    if not terms:
        return []
    total = sum(index.idf[t] for t in terms)
    scores: dict[int, float] = {}
    covered: dict[int, float] = defaultdict(float)
    for term in terms:
        idf = index.idf[term]
        for number, weight in index.postings[term]:
            norm = K1 * (1 - B + B * index.docs[number].length / index.avg_length)
            scores[number] = scores.get(number, 0.0) + idf * weight * (K1 + 1) / (weight + norm)
            covered[number] += idf
    needle = tuple(terms)
    for number, score in scores.items():
        score *= (covered[number] / total) ** 2
        phrases = index.docs[number].phrases
        if needle in phrases:
            score *= EXACT_BONUS
        elif len(needle) > 1 and any(_runs_inside(needle, p) for p in phrases):
            score *= PHRASE_BONUS
        scores[number] = score
    best = max(scores.values())
    ranked = sorted(
        (n for n in scores if scores[n] >= best * min_ratio), key=lambda n: (-scores[n], n)
    )
    return [index.docs[n].template_id for n in ranked[:limit]]
