"""Diff engine accuracy: plant known edits into real policies and score what compare() reports.

Each planted edit knows its expected kind, where it is (old-side and new-side offsets) and the
flag it should raise. One edit per compare() call, so a change that does not overlap the edit
is a false one. Prints detection recall, kind accuracy, move recall, flag recall, precision and
the cosmetic false-alarm rate, overall and per edit type, then the first misses of each type.

    python bench/diff_accuracy.py [--per-type 30] [--seed 7] [--misses 2]

Texts: the first version of each English service in /work/shared/corpus, else a small text
shipped below.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.diff import compare  # noqa: E402
from tracker.diff.model import Change, Span  # noqa: E402

CORPUS = Path("/work/shared/corpus")
TARGETS = {"detection recall": 0.99, "kind accuracy": 0.95, "move recall": 0.95,
           "flag recall": 0.95, "precision": 0.95}  # fmt: skip
FALSE_ALARM_TARGET = 0.02
Region = tuple[int, int]

SYNONYMS = {
    "provide": "supply", "help": "assist", "improve": "enhance", "ensure": "guarantee",
    "additional": "further", "important": "essential", "certain": "some", "about": "regarding",
    "receive": "obtain", "allow": "enable", "example": "instance", "also": "additionally",
    "services": "offerings", "information": "details", "use": "employ", "website": "site",
}  # fmt: skip
NEW_SENTENCES = (  # (sentence, a flag its added clause must carry)
    ("We may also share your precise location with data brokers.", "new_party"),
    ("Our advertising partners may receive your device identifiers.", "new_data"),
    ("We collect biometric data when you verify your profile.", "new_data"),
    ("You can ask us for a copy of everything we hold about you.", None),
    ("This helps us keep the community friendly and welcoming for everyone.", None),
)
NEW_PARAGRAPHS = (
    ("We work with researchers who study online dating. They receive pseudonymised usage "
     "data and never see your name.", "new_party"),
    ("Some features are available only in certain countries. We will tell you in the app "
     "when a feature is not available where you live.", None),
)  # fmt: skip
# Used when the corpus is absent. One paragraph per line, as extracted policies are.
FALLBACK_TEXT = """# Privacy Policy

We collect the information you provide when you create an account. This includes your name, email address and date of birth.

## How we share information

We may share your information with service providers who help us run the service. We do not sell your personal information to anyone at all.

We keep your messages for 30 days after you delete your account. After that period we delete them from all of our servers.

*   You can opt out of marketing emails at any time.
*   You can ask us to delete your data.

## Cookies

We use cookies to remember your preferences on every visit. You can turn them off in your browser settings, but some features will not work.

## Contact

If you have questions about this policy, please contact our privacy team by email. We answer every message within two weeks of receiving it.
"""  # noqa: E501


@dataclass(frozen=True)
class Doc:
    """A text and where edits can go: plain sentences, paragraphs, list markers, blocks."""

    name: str
    text: str
    sentences: list[Region]
    paragraphs: list[tuple[Region, list[Region]]]  # one-line paragraphs, with their sentences
    bullets: list[int]  # offsets of list-item markers
    blocks: list[Region]  # every run of non-blank lines, in order


@dataclass(frozen=True)
class Planted:
    """One planted edit: the edited text, what the engine should report, and where."""

    type: str
    doc: str
    text: str
    kind: str | None  # None: cosmetic only
    old: Region
    new: Region
    flag: str | None = None


def load_texts() -> list[tuple[str, str]]:
    """The first version of each English service in the corpus, or the shipped text."""
    index = CORPUS / "index.json"
    if not index.exists():
        return [("fallback", FALLBACK_TEXT)]
    texts = []
    for document in json.loads(index.read_text(encoding="utf-8"))["documents"]:
        if document.get("lang_guess") == "en":
            first = min(document["versions"], key=lambda v: v["seq"])
            path = CORPUS / document["dir"] / first["file"]
            texts.append((document["dir"], path.read_text(encoding="utf-8")))
    return texts


_SPACE = re.compile(r"[^\S\n]*")  # spaces, no-break spaces too, within a line
_PLAIN = re.compile(r"[^|\[\]\\<>#`*_]+")
_MARKER = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z)]\.)\s+(?=[A-Z])")
# "Prof. Dr. med." ends no sentence; planting after it would split a real one.
_ABBREVIATED = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b(?:med|etc|inc|ltd|co|no|vs))\.$")


def _sentences(text: str, start: int, end: int) -> list[Region]:
    """Plain sentences of 8–60 words with one full stop, at their end, inside text[start:end]."""
    spans, cursor = [], start
    for gap in [*_SENTENCE_END.finditer(text, start, end), None]:
        stop = gap.start() if gap else end
        piece = text[cursor:stop]
        plain = _PLAIN.fullmatch(piece) and not _ABBREVIATED.search(piece)
        if (
            plain
            and piece.count(".") == 1
            and piece.endswith(".")
            and 8 <= len(piece.split()) <= 60
        ):
            spans.append((cursor, stop))
        cursor = gap.end() if gap else end
    return spans


def parse(name: str, text: str) -> Doc:
    """Find the places where edits can be planted."""
    sentences: list[Region] = []
    paragraphs: list[tuple[Region, list[Region]]] = []
    bullets: list[int] = []
    blocks = [m.span() for m in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text)]
    for start, end in blocks:
        for line in re.finditer(r"[^\n]+", text[start:end]):
            lo, hi = start + line.start(), start + line.end()
            marker = _MARKER.match(text, lo, hi)
            if marker and text[lo:hi].lstrip()[0] in "-*+":
                bullets.append(lo + len(text[lo:hi]) - len(text[lo:hi].lstrip()))
            found = _sentences(text, marker.end() if marker else lo, hi)
            sentences += found
            if not marker and "\n" not in text[start:end] and len(found) >= 2:
                paragraphs.append(((start, end), found))
    return Doc(name, text, sentences, paragraphs, bullets, blocks)


def _replace(doc: Doc, start: int, end: int, new: str, kind: str | None, type_: str,
             flag: str | None = None) -> Planted:  # fmt: skip
    """text[start:end] replaced by new; the edit's spans are the replaced and the new text."""
    text = doc.text[:start] + new + doc.text[end:]
    return Planted(type_, doc.name, text, kind, (start, end), (start, start + len(new)), flag)


def _word_edit(type_: str, pattern: str, make: Callable[[str], str], flag: str | None
               ) -> Callable[[Doc, random.Random], Planted | None]:  # fmt: skip
    """An edit that rewrites one match of the pattern inside a random plain sentence."""

    def edit(doc: Doc, rng: random.Random) -> Planted | None:
        options = [(s, m) for s, e in doc.sentences for m in re.finditer(pattern, doc.text[s:e])]
        if not options:
            return None
        start, match = rng.choice(options)
        lo, hi = start + match.start(), start + match.end()
        return _replace(doc, lo, hi, make(match.group()), "modified", type_, flag)

    return edit


# Numbers that are quantities: not a day before a month ("24 June"), a legal reference
# ("Article 6(1)", "Section 8"), an enumerator ("(1)", a clause boundary) or a house number.
_NUMBER = (r"(?<![\w.,/$(-])(?<!ection )(?<!rticle )(?:\d{1,3}|two|three|five|six|ten|twelve)"
           r"(?![\w%)])(?!,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))"
           r"(?! \w+ (?:Street|Road|Avenue|Lane|Square))")  # fmt: skip
_WEAK = ("may", "might", "can", "could")
EDITS: dict[str, Callable[[Doc, random.Random], Planted | None]] = {
    "word swap": _word_edit("word swap", rf"\b(?:{'|'.join(SYNONYMS)})\b", SYNONYMS.get, None),
    "negation added": _word_edit(
        "negation added", r"\b(?:may|will|can|must|should|do|does|is|are)\b(?! not| never| only)",
        lambda w: w + " not", "negation"),
    "negation removed": _word_edit(
        "negation removed", r"(?<!do )(?<!or )\b(?:not|never) (?!limited|only|track|sell)",
        lambda w: "", "negation"),
    "modal changed": _word_edit(
        "modal changed", r"\b(?:may|might|can|could|will|must|shall)\b",
        lambda w: "will" if w in _WEAK else "may", "modality"),
    "number changed": _word_edit(
        "number changed", _NUMBER,
        lambda w: str(int(w) + 7) if w.isdigit() else ("eight" if w != "eight" else "nine"),
        "quantity"),
}  # fmt: skip


def _insert(doc: Doc, at: int, text: str, pad: tuple[str, str], type_: str,
            flag: str | None) -> Planted:  # fmt: skip
    """Insert padded text; the new-side span is the text without its padding."""
    planted = _replace(doc, at, at, pad[0] + text + pad[1], "added", type_, flag)
    return replace(planted, new=(at + len(pad[0]), at + len(pad[0]) + len(text)))


def _delete(doc: Doc, clause: Region, upto: int, type_: str) -> Planted:
    """Delete from the clause's start up to an offset; the old-side span is the clause."""
    return replace(_replace(doc, clause[0], upto, "", "removed", type_), old=clause)


def _next_block(doc: Doc, start: int) -> int:
    return next((s for s, _ in doc.blocks if s > start), len(doc.text))


def _paragraph_move(doc: Doc, rng: random.Random) -> Planted | None:
    """Cut a paragraph and paste it at least three blocks away."""
    (start, end), _ = rng.choice(doc.paragraphs)
    i = next(n for n, (s, _) in enumerate(doc.blocks) if s == start)
    targets = [s for n, (s, _) in enumerate(doc.blocks) if abs(n - i) >= 3]
    if not targets:
        return None
    to, after = rng.choice(targets), _next_block(doc, start)
    removed = doc.text[:start] + doc.text[after:]
    at = to if to < start else to - (after - start)
    edited = removed[:at] + doc.text[start:end] + "\n\n" + removed[at:]
    return Planted("paragraph moved", doc.name, edited, "moved", (start, end),
                   (at, at + end - start))  # fmt: skip


def _restyle(type_: str, how: Callable[[list[str], random.Random], None]
             ) -> Callable[[Doc, random.Random], Planted]:  # fmt: skip
    """A cosmetic edit of the words of a random plain sentence."""

    def edit(doc: Doc, rng: random.Random) -> Planted:
        start, end = rng.choice(doc.sentences)
        words = doc.text[start:end].split(" ")
        how(words, rng)
        return _replace(doc, start, end, " ".join(words), None, type_)

    return edit


def _spaces(words: list[str], rng: random.Random) -> None:
    for i in rng.sample(range(1, len(words)), 3):
        words[i] = " " + words[i]


def _emphasis(words: list[str], rng: random.Random) -> None:
    i = rng.choice([n for n, w in enumerate(words) if w.isalpha() and len(w) > 3] or [0])
    mark = rng.choice(("**", "_"))
    words[i] = f"{mark}{words[i]}{mark}"


def _bullet(doc: Doc, rng: random.Random) -> Planted | None:
    if not doc.bullets:
        return None
    at = rng.choice(doc.bullets)
    swap = {"*": "-", "-": "*", "+": "-"}[doc.text[at]]
    return _replace(doc, at, at + 1, swap, None, "cosmetic bullet")


QUOTES = str.maketrans({"’": "'", "'": "’", "“": '"', "”": '"'})


def _quotes(doc: Doc, rng: random.Random) -> Planted | None:
    """Swap quote styles in a line that has any: ’ ↔ ', “ ” → "."""
    options = [m.span() for m in re.finditer(r"[^\n]*[’'“”][^\n]*", doc.text)]
    if not options:
        return None
    start, end = rng.choice(options)
    return _replace(doc, start, end, doc.text[start:end].translate(QUOTES), None,
                    "cosmetic quotes")  # fmt: skip


def _sentence_end(doc: Doc, rng: random.Random) -> int:
    return rng.choice(doc.sentences)[1]


def _sentence_and_space(doc: Doc, rng: random.Random) -> tuple[Region, int]:
    """A sentence that is not its paragraph's last, and where the space after it ends."""
    _, found = rng.choice(doc.paragraphs)
    start, end = found[rng.randrange(len(found) - 1)]
    return (start, end), _SPACE.match(doc.text, end).end()  # type: ignore[union-attr]


EDITS |= {
    "sentence added": lambda d, r: _insert(
        d, _sentence_end(d, r), *(s := r.choice(NEW_SENTENCES))[:1], (" ", ""), "sentence added",
        s[1]),
    "sentence removed": lambda d, r: _delete(d, *_sentence_and_space(d, r), "sentence removed"),
    "paragraph added": lambda d, r: _insert(
        d, r.choice(d.blocks[1:])[0], *(p := r.choice(NEW_PARAGRAPHS))[:1], ("", "\n\n"),
        "paragraph added", p[1]),
    "paragraph removed": lambda d, r: _delete(
        d, (b := r.choice(d.paragraphs)[0]), _next_block(d, b[0]), "paragraph removed"),
    "paragraph moved": _paragraph_move,
    "cosmetic spaces": _restyle("cosmetic spaces", _spaces),
    "cosmetic emphasis": _restyle("cosmetic emphasis", _emphasis),
    "cosmetic quotes": _quotes,
    "cosmetic bullet": _bullet,
}  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What the engine reported for one planted edit."""

    planted: Planted
    changes: tuple[Change, ...]
    related: tuple[Change, ...]  # changes overlapping the edit, on either side
    seconds: float


def _overlap(span: Span | None, region: Region) -> int:
    if span is None or region[0] == region[1]:
        return 0
    return max(0, min(span.end, region[1]) - max(span.start, region[0]))


def run(planted: Planted, original: str) -> Outcome:
    """Compare the original with the edited text and keep the changes touching the edit."""
    began = time.perf_counter()
    changes = compare(original, planted.text).changes
    seconds = time.perf_counter() - began
    p = planted
    related = tuple(c for c in changes if _overlap(c.new, p.new) or _overlap(c.old, p.old))
    return Outcome(planted, tuple(changes), related, seconds)


def verdict(o: Outcome) -> dict[str, bool | None]:
    """Per-edit scores; None where a score does not apply to this edit."""
    p = o.planted
    if p.kind is None:
        return {"false alarm": any(c.kind != "cosmetic" for c in o.changes),
                "clean": len(o.related) == len(o.changes)}  # fmt: skip
    main = max(o.related, key=lambda c: _overlap(c.new, p.new) + _overlap(c.old, p.old),
               default=None)  # fmt: skip
    return {
        "detected": main is not None,
        "kind": None if main is None else main.kind == p.kind,
        "moved": any(c.kind == "moved" for c in o.related) if p.kind == "moved" else None,
        "flag": any(p.flag in c.flags for c in o.related) if p.flag else None,
        "clean": len(o.related) == len(o.changes),
        "stray flags": any(c.flags for c in o.related) if p.type == "word swap" else None,
    }


def _rate(values: Sequence[bool | None]) -> tuple[float, int, int]:
    scored = [v for v in values if v is not None]
    return (sum(scored) / len(scored) if scored else float("nan")), sum(scored), len(scored)


def _describe(o: Outcome) -> str:
    """The planted edit in context, then what the engine reported on and off it."""
    p = o.planted
    excerpt = p.text[max(0, p.new[0] - 40) : p.new[1] + 40].replace("\n", "⏎")
    lines = [f"    [{p.doc} old={p.old} new={p.new}] …{excerpt}…"]
    extra = [c for c in o.changes if c not in o.related]
    for label, changes in (("on the edit", o.related), ("elsewhere", extra[:3])):
        for c in changes:
            old, new = c.old and (c.old.start, c.old.end), c.new and (c.new.start, c.new.end)
            lines.append(f"      {label}: {c.kind} old={old} new={new} flags={list(c.flags)}")
    return "\n".join(lines if o.changes else [*lines, "      no changes reported"])


def _table(verdicts: list[dict[str, bool | None]], by_type: dict[str, list[int]]) -> None:
    keys = ("detected", "kind", "moved", "flag", "clean", "false alarm", "stray flags")
    print(f"{'edit type':20}{'n':>5}" + "".join(f"{k:>13}" for k in keys))
    for name, members in by_type.items():
        cells = []
        for key in keys:
            rate, hits, total = _rate([verdicts[i].get(key) for i in members])
            cells.append(f"{hits:>4}/{total:<3} {rate:4.2f}" if total else "-")
        print(f"{name:20}{len(members):>5}" + "".join(f"{c:>13}" for c in cells))


def report(outcomes: list[Outcome], misses: int) -> None:
    """Print the figures per edit type and overall, then the first misses of each type."""
    verdicts = [verdict(o) for o in outcomes]
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(outcomes):
        by_type[o.planted.type].append(i)
    _table(verdicts, by_type)
    changes, related = sum(len(o.changes) for o in outcomes), sum(len(o.related) for o in outcomes)
    fields = {"detection recall": "detected", "kind accuracy": "kind",
              "move recall": "moved", "flag recall": "flag"}  # fmt: skip
    overall = {name: _rate([v.get(field) for v in verdicts]) for name, field in fields.items()}
    overall["precision"] = (related / (changes or 1), related, changes)
    print()
    for name, (rate, hits, total) in overall.items():
        print(f"{name:24}{rate:7.3f}  ({hits}/{total}; target ≥ {TARGETS[name]})")
    rate, hits, total = _rate([v.get("false alarm") for v in verdicts])
    target = FALSE_ALARM_TARGET
    print(f"{'cosmetic false alarms':24}{rate:7.3f}  ({hits}/{total}; target ≤ {target})")
    rate, hits, total = _rate([v.get("clean") for v in verdicts])
    print(f"{'runs without extra':24}{rate:7.3f}  ({hits}/{total})")
    times = [o.seconds * 1000 for o in outcomes]
    print(f"compare(): median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
    bad = {"detected": False, "kind": False, "moved": False, "flag": False,
           "false alarm": True, "clean": False, "stray flags": True}  # fmt: skip
    for name, members in by_type.items():
        for key, value in bad.items():
            for i in [i for i in members if verdicts[i].get(key) is value][:misses]:
                print(f"\n  {name}: {key} = {value}\n{_describe(outcomes[i])}")


def plant(docs: list[Doc], per_type: int, rng: random.Random) -> list[Planted]:
    """per_type edits of every type, each in a random text that has room for it."""
    planted = []
    for make in EDITS.values():
        made, tries = 0, 0
        while made < per_type and tries < per_type * 50:
            tries += 1
            edit = make(rng.choice(docs), rng)
            if edit is not None:
                planted.append(edit)
                made += 1
    return planted


def main(argv: Sequence[str] | None = None) -> None:
    """Plant, compare, score, print."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-type", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", type=int, default=2, help="misses shown per edit type")
    args = parser.parse_args(argv)
    docs = [d for d in (parse(n, t) for n, t in load_texts()) if d.sentences and d.paragraphs]
    originals = {d.name: d.text for d in docs}
    planted = plant(docs, args.per_type, random.Random(args.seed))
    print(f"{len(planted)} planted edits in {len(docs)} texts (seed {args.seed})\n")
    report([run(p, originals[p.doc]) for p in planted], args.misses)


if __name__ == "__main__":
    main()
