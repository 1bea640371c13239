"""How alike two identifiers are, judged on their words rather than their characters.

Renames in real schemas add or drop words (`user_id` -> `owner_user_id`, `users` ->
`app_users`), abbreviate (`meta_json` -> `metadata_json`, `qty` -> `quantity`), pluralize, or
swap a synonym (`kind` -> `type`). Edit distance scores `created_at`/`updated_at` as near twins;
word overlap weighted by how informative each word is does not. The tables below are the
vocabulary; `similarity` is a weighted Dice coefficient over greedily matched words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words that say little about which column is which: they count, but lightly.
LIGHT_WORDS: dict[str, float] = {
    "id": 0.3,
    "at": 0.3,
    "is": 0.3,
    "has": 0.3,
    "by": 0.3,
    "on": 0.3,
    "of": 0.3,
    "to": 0.3,
    "the": 0.2,
    "fk": 0.2,
    "pk": 0.2,
    "tbl": 0.2,
    "t": 0.2,
    "app": 0.3,
    "core": 0.4,
    "json": 0.6,
}

SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("type", "kind"),
        ("num", "no", "number", "nbr"),
        ("ts", "timestamp", "time"),
        ("dt", "date", "day"),
        ("img", "image", "picture", "pic", "photo"),
        ("pwd", "password", "passwd", "pass"),
        ("url", "uri", "link", "href"),
        ("email", "mail"),
        ("phone", "tel", "telephone", "mobile"),
        ("created", "inserted", "added"),
        ("updated", "modified", "changed"),
        ("deleted", "removed"),
        ("start", "begin", "started", "begun"),
        ("end", "finish", "finished", "stop", "ended"),
        ("meta", "metadata", "extra", "attrs", "attributes"),
        ("name", "title", "label"),
        ("text", "body", "content"),
        ("status", "state"),
        ("enabled", "active"),
        ("owner", "author", "creator"),
        ("data", "payload"),
        ("customer", "client", "cust"),
        ("config", "settings", "cfg", "conf"),
        ("org", "organization", "organisation", "company"),
        ("user", "account", "usr", "member"),
        ("note", "comment", "remark"),
        ("price", "cost"),
    )
)
_SYNONYM_OF: dict[str, frozenset[str]] = {w: g for g in SYNONYMS for w in g}

IRREGULAR_PLURALS: dict[str, str] = {
    "people": "person",
    "children": "child",
    "men": "man",
    "women": "woman",
    "indices": "index",
    "statuses": "status",
    "addresses": "address",
    "analyses": "analysis",
    "data": "data",
}

EXACT, SYNONYM, ABBREVIATION = 1.0, 0.8, 0.75
_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z0-9]+")
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=65536)
def words(name: str) -> tuple[str, ...]:
    """`ownerUserIds` / `owner_user_ids` -> ('owner', 'user', 'id'): split and singularized."""
    out: list[str] = []
    for part in _SPLIT.split(name):
        out.extend(stem(w.lower()) for w in _CAMEL.findall(part))
    return tuple(out)


def stem(word: str) -> str:
    """A plural's singular by the common English rules; enough to pair `users` with `user`."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _weight(word: str) -> float:
    return LIGHT_WORDS.get(word, 1.0)


def word_match(a: str, b: str) -> float:
    """1 for the same word, less for a synonym or an abbreviation, 0 otherwise."""
    if a == b:
        return EXACT
    group = _SYNONYM_OF.get(a)
    if group is not None and b in group:
        return SYNONYM
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 3 and short[0] == long[0]:
        if long.startswith(short):
            return ABBREVIATION  # meta/metadata, desc/description, addr/address
        if not (_VOWELS & set(short[1:])) and _subsequence(short, long):
            return ABBREVIATION  # qty/quantity, msg/message, pwd/password
    return 0.0


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float
    matched: tuple[tuple[str, str, float], ...]  # (word in a, word in b, quality)

    def reason(self, a: str, b: str) -> str:
        if self.score >= 1.0:
            return f"same name {a}~{b}"
        return f"name tokens {a}→{b}"


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> NameMatch:
    """Weighted Dice coefficient of the two names' words (0..1)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return NameMatch(0.0, ())
    if wa == wb or "".join(wa) == "".join(wb):
        return NameMatch(1.0, tuple((x, x, EXACT) for x in wa))
    pairs = sorted(
        ((word_match(x, y), i, j) for i, x in enumerate(wa) for j, y in enumerate(wb)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched: list[tuple[str, str, float]] = []
    total = 0.0
    for quality, i, j in pairs:
        if quality <= 0.0:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        matched.append((wa[i], wb[j], quality))
        total += quality * min(_weight(wa[i]), _weight(wb[j]))
    mass = sum(_weight(x) for x in wa) + sum(_weight(y) for y in wb)
    return NameMatch(min(1.0, 2.0 * total / mass), tuple(matched))
