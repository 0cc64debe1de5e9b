"""Medical jargon: the list (shipped with leaflets, or a project's own file in the same
format) and where its words are found in a text, as whole words in any case and form."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .syllables import _SIBILANT_ENDINGS
from .textunits import _ALNUM, _HYPHEN_CLASS, _HYPHENS, TEXT_CACHE


@dataclass(frozen=True)
class JargonTerm:
    """A medical word or phrase and its plain alternative."""

    term: str
    plain: str
    forms: tuple[str, ...] = ()
    """Inflections and spellings that also count (``relapsed``, ``anesthetic``)."""

    def all_forms(self) -> tuple[str, ...]:
        """The term, its listed forms, and a regular plural for one-word terms."""
        forms = [self.term, *self.forms]
        one_word = " " not in self.term and not any(h in self.term for h in _HYPHENS)
        if one_word and not self.term.endswith("s"):
            forms.append(self.term + ("es" if self.term.endswith(_SIBILANT_ENDINGS) else "s"))
        return tuple(dict.fromkeys(form.lower() for form in forms))


@dataclass(frozen=True)
class JargonHit:
    """A jargon word found in a text: `text[start:end] == matched`."""

    term: str
    plain: str
    matched: str
    start: int
    end: int


_JARGON_KEYS = frozenset({"term", "plain", "forms"})
_SPACING = re.compile(rf"[\s{_HYPHEN_CLASS}]+")


def _key(form: str) -> str:
    """Hyphens, spaces and line breaks all match one another; case is ignored."""
    return _SPACING.sub(" ", form.strip().lower())


def _parse_jargon(data: Any, where: str) -> tuple[JargonTerm, ...]:
    if not isinstance(data, Mapping) or set(data) != {"terms"}:
        raise ValueError(f"{where}: expected a mapping with one key, 'terms'")
    entries = data["terms"]
    if not isinstance(entries, list):
        raise ValueError(f"{where}: 'terms' must be a list")
    terms: list[JargonTerm] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, Mapping) or not set(entry) <= _JARGON_KEYS:
            raise ValueError(f"{where}: term {index}: expected keys term, plain and forms")
        term, plain, forms = entry.get("term"), entry.get("plain"), entry.get("forms", [])
        if not isinstance(term, str) or not term.strip():
            raise ValueError(f"{where}: term {index}: 'term' must be a non-empty string")
        if not isinstance(plain, str) or not plain.strip():
            raise ValueError(f"{where}: term {index} ({term}): 'plain' must be a non-empty string")
        if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
            raise ValueError(f"{where}: term {index} ({term}): 'forms' must be a list of strings")
        jargon = JargonTerm(term.strip(), plain.strip(), tuple(f.strip() for f in forms))
        for form in (jargon.term, *jargon.forms):
            key = _key(form)
            if key in seen:
                raise ValueError(f"{where}: term {index}: '{form}' is already listed ({seen[key]})")
            seen[key] = jargon.term
        terms.append(jargon)
    return tuple(terms)


@functools.cache
def _packaged_jargon() -> tuple[JargonTerm, ...]:
    resource = resources.files("leaflets") / "data" / "jargon.yaml"
    return _parse_jargon(yaml.safe_load(resource.read_text(encoding="utf-8")), "jargon.yaml")


def load_jargon(path: Path | None = None) -> tuple[JargonTerm, ...]:
    """The jargon list: the one shipped with leaflets (`leaflets/data/jargon.yaml`), or the
    file at `path` in the same format (``terms: [{term, plain, forms}]``).

    Raises `ValueError` naming the file and entry when the file is malformed or lists a
    form twice."""
    if path is None:
        return _packaged_jargon()
    return _parse_jargon(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


@functools.cache
def _jargon_pattern(
    terms: tuple[JargonTerm, ...],
) -> tuple[re.Pattern[str] | None, dict[str, JargonTerm]]:
    by_form: dict[str, JargonTerm] = {}
    for jargon in terms:
        for form in jargon.all_forms():
            by_form.setdefault(_key(form), jargon)
    if not by_form:
        return None, by_form
    # Longest first, so "adverse event" wins over "adverse" at the same place.
    alternatives = sorted(by_form, key=lambda form: (-len(form), form))
    body = "|".join(
        rf"[\s{_HYPHEN_CLASS}]+".join(re.escape(piece) for piece in form.split(" "))
        for form in alternatives
    )
    pattern = re.compile(rf"(?<!{_ALNUM})(?:{body})(?!{_ALNUM})", re.IGNORECASE)
    return pattern, by_form


#: The last jargon list `find_jargon` compiled, and its pattern (hashing a long tuple of
#: terms on every call cost more than the matching; issue 18).
_LAST_JARGON: list[Any] = []


def find_jargon(text: str, terms: Sequence[JargonTerm]) -> list[JargonHit]:
    """Jargon in `text`, in order: whole words or phrases only (``sedation`` is found in
    "sedation" and "Sedation-free", not in "desedationise"), any case, any listed form;
    hyphens and spaces in a phrase match each other."""
    last = _LAST_JARGON
    # The same tuple (immutable, and held here, so its id cannot be reused): same pattern.
    if last and isinstance(terms, tuple) and last[0] is terms:
        pattern, by_form = last[1]
    else:
        pattern, by_form = _jargon_pattern(tuple(terms))
        _LAST_JARGON[:] = [terms, (pattern, by_form)]
    if pattern is None:
        return []
    hits = []
    for matched, start, end in _jargon_matches(pattern, text):
        jargon = by_form.get(_key(matched))
        if jargon is not None:  # None only for exotic Unicode case folds
            hits.append(JargonHit(jargon.term, jargon.plain, matched, start, end))
    return hits


@functools.lru_cache(maxsize=TEXT_CACHE)
def _jargon_matches(pattern: re.Pattern[str], text: str) -> tuple[tuple[str, int, int], ...]:
    """Where `pattern` matches `text` (keyed by the compiled pattern: another jargon list
    compiles to another pattern, so it never reads this one's matches)."""
    return tuple((match.group(), *match.span()) for match in pattern.finditer(text))
