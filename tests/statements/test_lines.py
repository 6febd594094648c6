"""Line numbering of a revision's text (statements/lines.py): fixed length, word wraps,
headings and list items, determinism, cache, and the toggle on the paper's page."""

from __future__ import annotations

import re

import pytest

from statements import lines, markdown
from statements.lines import LINE_LENGTH, LIST_INDENT, number_html

WORDS = " ".join(f"Wort{i:02d}" for i in range(60))  # 60 × 6 characters + spaces


def visible_lines(html: str) -> list[str]:
    """The text of each numbered line, as a reader sees it (tags dropped)."""
    pieces = re.split(r'<span class="ln" data-ln="\d+" aria-hidden="true"></span>', html)[1:]
    return [
        re.sub(r"<[^>]+>", "", p).replace("&lt;", "<").replace("&amp;", "&").strip() for p in pieces
    ]


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-ln="(\d+)"', html)]


def test_paragraph_wraps_at_word_boundaries_within_the_line_length():
    html, _ = markdown.parse(WORDS)
    numbered = number_html(html)
    shown = visible_lines(numbered.html)
    assert all(len(line) <= LINE_LENGTH for line in shown)
    assert " ".join(shown) == WORDS  # no word split, none lost
    # Greedy: each line would overflow with the next line's first word.
    for line, following in zip(shown, shown[1:], strict=False):
        assert len(line) + 1 + len(following.split()[0]) > LINE_LENGTH
    assert numbers(numbered.html) == list(range(1, len(shown) + 1))


def test_headings_count_as_lines_and_list_items_wrap_inside_their_indent():
    source = f"# Überschrift\n\nKurzer Absatz.\n\n- {WORDS}\n  - verschachtelt {WORDS}\n"
    html, blocks = markdown.parse(source)
    numbered = number_html(html)
    shown = visible_lines(numbered.html)
    assert shown[0] == "Überschrift"
    assert shown[1] == "Kurzer Absatz."
    outer = [ln for ln in shown[2:] if not ln.startswith("verschachtelt")]
    assert all(len(line) <= LINE_LENGTH - LIST_INDENT for line in shown[2:])
    assert any(len(line) > LINE_LENGTH - 2 * LIST_INDENT for line in outer)
    nested_start = next(i for i, ln in enumerate(shown) if ln.startswith("verschachtelt"))
    assert all(len(line) <= LINE_LENGTH - 2 * LIST_INDENT for line in shown[nested_start:])
    # Each top-level block knows its lines: heading 1, paragraph 2, the list the rest.
    ranges = numbered.ranges
    heading, paragraph, listing = (b.id for b in blocks)
    assert ranges[heading] == (1, 1)
    assert ranges[paragraph] == (2, 2)
    assert ranges[listing] == (3, numbered.total)


def test_markup_does_not_count_and_entities_stay_escaped():
    source = "Ein **fetter** Satz mit [Link](https://example.org/sehr/langer/pfad) & <b>nicht</b>."
    html, _ = markdown.parse(source)
    numbered = number_html(html)
    assert numbered.total == 1
    assert "&lt;b&gt;" in numbered.html and "<b>" not in numbered.html
    assert 'href="https://example.org/sehr/langer/pfad"' in numbered.html


def test_numbering_is_deterministic():
    source = f"## Titel\n\n{WORDS}\n\n1. eins\n2. {WORDS}\n\n> {WORDS}\n\n```\ncode\n```\n"
    html, _ = markdown.parse(source)
    first = number_html(html)
    assert number_html(html) == first
    assert number_html(markdown.parse(source)[0]) == first


def test_numbers_are_hidden_from_assistive_technology_and_not_text():
    html, _ = markdown.parse(WORDS)
    numbered = number_html(html)
    # The number is only an attribute (shown by CSS), so copying the text never takes it.
    assert re.sub(r"<[^>]+>", "", numbered.html).strip().startswith("Wort00")
    assert numbered.html.count('aria-hidden="true"') == numbered.total


@pytest.mark.django_db
def test_numbering_is_cached_per_revision(author, django_assert_num_queries):
    from tests.factories import make_statement

    statement = make_statement(author=author, state="consultation", body=WORDS)
    revision = statement.current_revision
    first = lines.numbering(revision)
    assert first == number_html(revision.body_html)
    # Cached: no recount (the function is not called again) and ranges without a query.
    calls = []
    original = lines.number_html
    lines.number_html = lambda *a, **k: calls.append(1) or original(*a, **k)
    try:
        assert lines.numbering(revision) == first
        with django_assert_num_queries(0):
            cached = lines.ranges_for([revision.pk])
    finally:
        lines.number_html = original
    assert calls == []
    assert cached[revision.pk].ranges == first.ranges
    assert cached[revision.pk].number == revision.number


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", (12, 12)),
        ("12-14", (12, 14)),
        (" 12 – 14 ", (12, 14)),
        ("14-12", None),
        ("0", None),
        ("abc", None),
        ("", None),
        ("1-2-3", None),
    ],
)
def test_line_filter_values(value, expected):
    assert lines.parse_range(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state, shown",
    [("draft", False), ("consultation", True), ("voting", True), ("accepted", False)],
)
def test_page_shows_numbers_in_consultation_and_voting(state, shown, author, client_for):
    from tests.factories import make_statement

    statement = make_statement(author=author, state=state, body=WORDS)
    html = client_for(author).get(statement.get_absolute_url()).content.decode()
    assert ('data-ln="1"' in html) is shown
    assert ("Zeilennummern ausblenden" in html) is shown
    if shown:  # the toggle is a plain link: works without JavaScript
        off = client_for(author).get(statement.get_absolute_url() + "?lines=0").content.decode()
        assert 'data-ln="1"' not in off and "Zeilennummern anzeigen" in off
        assert 'class="text-lines"' in off


@pytest.mark.django_db
def test_revision_page_can_show_its_own_numbers(author, client_for):
    from tests.factories import make_statement

    statement = make_statement(author=author, state="consultation", body=WORDS)
    url = f"/statements/{statement.slug}/revisions/1/?lines=1"
    html = client_for(author).get(url).content.decode()
    assert 'data-ln="1"' in html


def test_a_line_starting_with_a_link_has_its_number_outside_the_link():
    html, _ = markdown.parse("[Quelle](https://example.org) und mehr.\n\n**Fett** am Anfang.")
    numbered = number_html(html)
    assert '<span class="ln" data-ln="1" aria-hidden="true"></span><a href=' in numbered.html
    assert '<span class="ln" data-ln="2" aria-hidden="true"></span><strong>' in numbered.html
    assert numbered.total == 2


def test_lines_of_quoted_words():
    html, _ = markdown.parse(WORDS)
    texts = lines.line_texts(number_html(html).html)
    assert lines.lines_of_quote(texts, (1, len(texts)), "Wort00 Wort01") == (1, 1)
    last_of_first = texts[0].split()[-1]
    first_of_second = texts[1].split()[0]
    both = f"{last_of_first} {first_of_second}"
    assert lines.lines_of_quote(texts, (1, len(texts)), both) == (1, 2)
    assert lines.lines_of_quote(texts, (2, len(texts)), "Wort00") is None
    assert lines.lines_of_quote(texts, (1, 1), "") is None
