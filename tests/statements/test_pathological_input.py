"""Issue 13.2: no text makes a page cost more than a small multiple of a normal one.

Written as the attack was: 100 KB of `[` or `![` in a body, a preview and a comment
(markdown-it scanned from every unclosed bracket to the end of the paragraph: ~12 s
to save, then ~18 s for every view of the paper), and a diff between two large
revisions (difflib's matching timed out). Nothing here is timed: the measures are
Python lines run (tests/cost.py) and markdown-it's label-scan steps, both the same
on every machine, with generous bounds the old code passed by orders of magnitude.
"""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.parser_inline import ParserInline

from statements import diff, markdown
from statements.models import Revision
from statements.services import TextFields, revision_save
from tests.cost import TooExpensive, cost
from tests.factories import make_statement

PROSE = (
    "Wir fordern faire Verfahren im Landkreis, mit [Quellen](https://example.org) und *Betonung*. "
)
FLOODS = {
    "[": "[" * 100_000,
    "![": "![" * 50_000,
    "[[a]": "[[a]" * 25_000,
    "nested [": "[" * 50_000 + "]" * 50_000,
    "nested ![": "![" * 33_000 + "]" * 33_000,
}


def normal_text(size: int) -> str:
    return "\n\n".join(PROSE * 10 for _ in range(size // 800 + 1))[:size]


@pytest.fixture
def label_scans(monkeypatch):
    """Count markdown-it's skipToken steps: each is one character of a link-label scan
    (the quadratic part). Stops the parse with TooExpensive past `limit`."""
    counter = {"steps": 0, "limit": 10**12}
    original = ParserInline.skipToken

    def counting(self, state):
        counter["steps"] += 1
        if counter["steps"] > counter["limit"]:
            raise TooExpensive(f"more than {counter['limit']:,} label-scan steps")
        return original(self, state)

    monkeypatch.setattr(ParserInline, "skipToken", counting)
    return counter


def scan_bound(source: str) -> int:
    # The defused pipeline needs at most markdown.MAX_LOOSE_SCAN steps for the loose
    # brackets it keeps, plus each pair's label up to MAX_BRACKET_NESTING deep: a few
    # times the length. The old one needed about len(source)² / 2 for a flood of `[`.
    return 10 * len(source) + 10_000


# --- the Markdown pipeline -----------------------------------------------------------


@pytest.mark.parametrize("name", FLOODS)
def test_a_bracket_flood_is_parsed_in_linear_steps(name, label_scans):
    source = FLOODS[name]
    label_scans["limit"] = scan_bound(source)
    html = markdown.render(source)
    # The reader sees the brackets, not the escapes that defused them.
    text = re.sub(r"<[^>]+>", "", html)
    assert text.count("[") == source.count("[")
    assert "\\" not in text


@pytest.mark.parametrize("name", ["[", "![", "[[a]"])
def test_a_bracket_flood_costs_a_small_multiple_of_normal_text(name):
    """The same check in Python lines on 10 KB (tracing 100 KB takes too long): the old
    pipeline ran 50-180 times the lines of normal text, the new one stays below 20 —
    as much as dense emphasis markup (`*_*_…`), which was never quadratic."""
    size = 10_000
    markdown.render(normal_text(size))  # warm the parser
    normal = cost(lambda: markdown.render(normal_text(size)))
    flood = (FLOODS[name] * 2)[:size]
    assert cost(lambda: markdown.render(flood), limit=20 * normal) <= 20 * normal


def test_normal_links_images_and_stray_brackets_are_left_alone():
    source = (
        "Siehe [die Quelle](https://example.org) und ![ein Bild](https://example.org/a.png).\n"
        "[![verlinktes Bild](https://example.org/b.png)](https://example.org/c)\n"
        "Ein Verweis [auf die Liste][liste], eine Fußnote [1] und `code[0]`, "
        "eine offene Klammer [ und noch eine [ hier.\n\n"
        "[liste]: https://example.org/liste\n"
    )
    assert markdown.defuse(source) == source
    html = markdown.render(source)
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">die Quelle</a>' in html
    assert '<a href="https://example.org/liste"' in html
    assert "<code>code[0]</code>" in html
    assert "offene Klammer [ und noch eine [ hier" in html


def test_defusing_keeps_lines_so_block_ids_stay_those_of_the_source():
    source = "Erster Absatz.\n\n" + "[" * 5_000 + "\n\n## Überschrift [\n\nLetzter [[a] Absatz."
    assert markdown.defuse(source).count("\n") == source.count("\n")
    found = markdown.blocks(source)
    assert [b.source for b in found] == [
        "Erster Absatz.",
        "[" * 5_000,
        "## Überschrift [",
        "Letzter [[a] Absatz.",
    ]
    assert found[2].id == "h-uberschrift"


# --- a body full of brackets: saved once, every view as cheap as a normal paper's ----


@pytest.mark.parametrize("name", ["[", "!["])
def test_the_paper_page_of_a_bracket_body_costs_what_a_normal_page_costs(
    name, author, member, client_for
):
    normal = make_statement(author=author, state="consultation", body=normal_text(3_000))
    attacked = make_statement(author=author, state="consultation", body=FLOODS[name])
    client = client_for(member)
    client.get(normal.get_absolute_url())  # warm templates and translations
    baseline = cost(lambda: client.get(normal.get_absolute_url()))
    # The old page parsed the 100 KB body twice on every view (~18 s).
    assert cost(lambda: client.get(attacked.get_absolute_url()), limit=2 * baseline) <= (
        2 * baseline
    )
    assert FLOODS[name][:2_000] in client.get(attacked.get_absolute_url()).content.decode()


def test_viewing_a_paper_parses_no_markdown(author, member, client_for, monkeypatch):
    """The revision keeps the HTML and the blocks of its one parse (made when written)."""
    statement = make_statement(author=author, state="consultation", body=normal_text(3_000))
    assert statement.current_revision.blocks

    def refuse(*args, **kwargs):
        raise AssertionError("the page parsed Markdown")

    monkeypatch.setattr(markdown, "_tokens", refuse)
    for user in (member, author):
        response = client_for(user).get(statement.get_absolute_url())
        assert response.status_code == 200
        assert "Kommentieren" in response.content.decode()


def test_stored_blocks_are_the_blocks_of_the_body(author):
    body = "# Titel\n\nErster Absatz.\n\n- a\n- b\n\n" + "[" * 100 + "\n\nLetzter."
    statement = make_statement(author=author, body=body)
    revision = Revision.objects.get(pk=statement.current_revision_id)
    assert revision.parsed_blocks == markdown.blocks(body)
    assert revision.body_html == markdown.render(body)


def test_the_backfill_keeps_blocks_and_html_of_existing_revisions(author):
    statement = make_statement(author=author, body="Erster.\n\n" + "[" * 3_000)
    with connection.cursor() as cursor:  # as the rows were before the migration
        cursor.execute("UPDATE statements_revision SET blocks = NULL, body_html = 'alt'")
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(("statements", "0005_revision_blocks")).apps
    import_module("statements.migrations.0005_revision_blocks").keep_parsed_blocks(apps, None)
    revision = Revision.objects.get(pk=statement.current_revision_id)
    assert revision.parsed_blocks == markdown.blocks(revision.body)
    assert revision.body_html == markdown.render(revision.body)


# --- preview and comments ------------------------------------------------------------


@pytest.mark.parametrize("name", ["[", "!["])
def test_previewing_a_bracket_flood_is_linear(name, author, client_for, label_scans):
    statement = make_statement(author=author)
    source = FLOODS[name]
    label_scans["limit"] = scan_bound(source)
    for url in (reverse("statements:new_preview"), statement.get_absolute_url() + "preview/"):
        response = client_for(author).post(url, {"body": source})
        assert response.status_code == 200
        assert source[:2_000] in response.content.decode()


@pytest.mark.parametrize("name", ["[", "!["])
def test_a_comment_of_brackets_is_linear(name, author, member, client_for, label_scans):
    statement = make_statement(author=author, state="consultation")
    source = FLOODS[name][:10_000]  # the longest comment there is
    label_scans["limit"] = scan_bound(source)
    url = reverse("discussion:comment_create", args=[statement.slug])
    response = client_for(member).post(url, {"body": source})
    assert response.status_code == 302
    comment = statement.comments.get()
    assert re.sub(r"<[^>]+>", "", comment.body_html).count("[") == source.count("[")


# --- diffs ---------------------------------------------------------------------------


def rewritten(size: int, seed: int) -> str:
    words = [f"wort{(i * seed) % 400}" for i in range(size // 7)]
    lines = [" ".join(words[i : i + 120]) for i in range(0, len(words), 120)]
    return "\n\n".join(lines)[:size]


def test_the_diff_between_two_large_revisions_is_bounded_and_complete(author, client_for):
    statement = make_statement(author=author, body=rewritten(100_000, 7))
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(statement.title, statement.occasion, statement.summary, "x"),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    statement.refresh_from_db()
    revision_save(
        statement_id=statement.pk,
        author=author,
        text=TextFields(
            statement.title, statement.occasion, statement.summary, rewritten(100_000, 11)
        ),
        message="",
        base_revision_id=statement.current_revision_id,
    )
    client = client_for(author)
    url = statement.get_absolute_url() + "diff/1/3/"
    client.get(statement.get_absolute_url() + "diff/1/2/")  # warm templates
    # At most WORK_BUDGET matching steps (a few lines each) plus linear passes over
    # 200 KB of text; difflib's matching of the same texts ran for minutes.
    assert cost(lambda: client.get(url), limit=5_000_000) <= 5_000_000
    page = client.get(url).content.decode()
    assert "zu umfangreich" in page or "Wörter eingefügt" in page
    assert page.count("wort") > 10_000  # both texts are on the page, nothing dropped


def test_a_word_diff_stays_within_its_budget_and_says_when_it_is_coarse():
    old, new = rewritten(100_000, 7), rewritten(100_000, 11)
    result = diff.word_diff(old, new)
    assert result.work <= diff.WORK_BUDGET
    assert "".join(text for op, text in result.segments if op != diff.DELETE) == new
    small = diff.word_diff(old, new, budget=1_000)
    assert small.coarse and small.work <= 1_000
    assert "".join(text for op, text in small.segments if op != diff.DELETE) == new


def test_an_ordinary_edit_costs_little_however_long_the_text():
    old = normal_text(100_000)
    new = old.replace("faire Verfahren", "schnelle Verfahren", 1)
    result = diff.word_diff(old, new)
    assert not result.coarse
    assert (result.inserted_words, result.deleted_words) == (1, 1)
    assert result.work < 5_000


TEXT = st.text(alphabet="ab c\n.[", max_size=60)


@settings(max_examples=300, deadline=None)
@given(old=TEXT, new=TEXT, budget=st.sampled_from([0, 3, 20, None]))
def test_property_any_diff_spells_both_texts(old, new, budget):
    """However small the budget, the equal and inserted pieces spell the new text and
    the equal and deleted pieces the old one (whitespace-only deletions are not shown)."""
    if budget is None:
        result, budget = diff.word_diff(old, new), diff.WORK_BUDGET
    else:
        result = diff.word_diff(old, new, budget=budget)
    assert result.work <= budget
    assert "".join(t for op, t in result.segments if op != diff.DELETE) == new
    shown_old = "".join(t for op, t in result.segments if op != diff.INSERT)
    assert "".join(shown_old.split()) == "".join(old.split())


# --- rendered diffs (issue 15) -------------------------------------------------------

TAG = re.compile(r"<[^>]*>")


def test_a_rendered_diff_stays_within_its_budget_and_spells_the_new_text():
    old = markdown.render(rewritten(100_000, 7))
    new = markdown.render(rewritten(100_000, 11))
    result = diff.html_diff(old, new)
    assert result.work <= diff.WORK_BUDGET
    shown = "".join(t for op, t in result.segments if op in (diff.EQUAL, diff.INSERT))
    assert shown == re.sub(r'\s+id="[^"]*"', "", new)
    assert cost(lambda: diff.html_diff(old, new), limit=5_000_000) <= 5_000_000


def test_an_ordinary_edit_of_the_rendered_text_costs_little():
    old = normal_text(100_000)
    new = old.replace("faire Verfahren", "schnelle Verfahren", 1)
    result = diff.html_diff(markdown.render(old), markdown.render(new))
    assert not result.coarse
    assert (result.inserted_words, result.deleted_words) == (1, 1)
    assert result.work < 5_000


MARKDOWN = st.text(alphabet="ab c\n*#-_>1.`[]()", max_size=80)


@settings(max_examples=300, deadline=None)
@given(old=MARKDOWN, new=MARKDOWN, budget=st.sampled_from([0, 3, 20, None]))
def test_property_a_rendered_diff_nests_like_the_new_text(old, new, budget):
    """<ins>/<del> wrap text only, so the result's tags are the new text's plus whole
    deleted elements: always balanced, and without the deleted pieces it is the new HTML."""
    old_html, new_html = markdown.render(old), markdown.render(new)
    kwargs = {} if budget is None else {"budget": budget}
    result = diff.html_diff(old_html, new_html, **kwargs)
    assert result.work <= (diff.WORK_BUDGET if budget is None else budget)
    shown = "".join(t for op, t in result.segments if op in (diff.EQUAL, diff.INSERT))
    assert shown == re.sub(r'\s+id="[^"]*"', "", new_html)
    html = str(result.html)
    assert diff._balanced(TAG.findall(html))
    for op, text in result.segments:
        if op in (diff.INSERT, diff.DELETE):
            assert "<" not in text  # text only: never a tag inside <ins>/<del>
