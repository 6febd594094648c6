"""Pruning press documents of superseded versions (issue 19): the files the current state
of each public paper is served from stay, older keys and folders of papers no longer
public go, and anything younger than the grace period is left alone."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from public import documents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _documents_dir(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "documents"
    settings.RTM_PRESS_NAME = "Pressestelle"


def age(path: Path, hours: float = 3) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_superseded_files_go_current_ones_stay(published, settings):
    old_pdf = documents.get_document(published, "pdf").path
    old_docx = documents.get_document(published, "docx").path
    settings.RTM_PRESS_NAME = "Neue Pressestelle"  # the letterhead changes: new keys
    new_pdf = documents.get_document(published, "pdf").path
    assert new_pdf != old_pdf
    for path in (old_pdf, old_docx, new_pdf):
        age(path)
    result = documents.documents_prune()
    assert not old_pdf.exists() and not old_docx.exists()
    assert new_pdf.exists()
    assert result.removed >= 2


def test_young_files_and_current_versions_are_kept(published, settings):
    old_pdf = documents.get_document(published, "pdf").path
    settings.RTM_PRESS_NAME = "Neue Pressestelle"
    documents.get_document(published, "pdf")
    documents.documents_prune()  # the old file is younger than the grace period
    assert old_pdf.exists()
    documents.documents_prune(grace=documents.dt.timedelta(0))
    assert not old_pdf.exists()


def test_folders_of_papers_no_longer_public_go(published, settings):
    root = Path(settings.RTM_DOCUMENTS_DIR)
    gone = root / "zurueckgezogener-entwurf"
    gone.mkdir(parents=True)
    stale = gone / "r3-abc.pdf"
    stale.write_bytes(b"%PDF-1.7")
    age(stale)
    current = documents.get_document(published, "pdf").path
    age(current)
    out = StringIO()
    call_command("prune_documents", stdout=out)
    assert not gone.exists()
    assert current.exists()  # still what the public paper is served from
    assert "removed 1 file(s)" in out.getvalue()


def test_nothing_to_prune_without_a_folder(settings, tmp_path):
    settings.RTM_DOCUMENTS_DIR = tmp_path / "nowhere"
    assert documents.documents_prune() == documents.PruneResult(removed=0, kept=0)
