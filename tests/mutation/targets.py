"""What `make mutate` mutates, and which test files may kill each module's mutants.

One entry per module. `functions` limits the run to the named functions (mutmut mutates
only function bodies anyway); `("*",)` takes every function in the module. `tests` is
the only selection pytest gets for that module: mutmut then runs, for each mutant, just
those of these tests that call the mutated function. Keep each list to the files that
exercise the rule directly: a surviving mutant runs all of its tests, so a slow file
here costs its run time once per survivor. A test written to kill a survivor belongs
in the list of the module it guards, or it does not count.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    module: str  # path of the source file, relative to the repository
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ("*",)
    skip: tuple[str, ...] = ()  # functions left out of the score, each with its reason

    def counts(self, mutant: str) -> bool:
        """Whether `mutant` (a mutmut name) belongs to this target's score."""
        return not any(f".x_{name}__mutmut_" in mutant for name in self.skip)

    @property
    def dotted(self) -> str:
        return self.module.removesuffix(".py").replace("/", ".")

    @property
    def patterns(self) -> tuple[str, ...]:
        """mutmut's names for this target's mutants (fnmatch patterns)."""
        if self.functions == ("*",):
            return (f"{self.dotted}.*",)
        # mutmut names a module-level function f's mutants "<module>.x_f__mutmut_<n>".
        return tuple(f"{self.dotted}.x_{name}__mutmut_*" for name in self.functions)


TARGETS: tuple[Target, ...] = (
    Target(
        "voting/rules.py",
        tests=(
            "tests/voting/test_rules.py",
            "tests/voting/test_rules_quorum.py",
            "tests/voting/test_services.py",
            "tests/workflow/test_decision_rules.py",
        ),
    ),
    Target(
        "accounts/permissions.py",
        tests=(
            "tests/accounts/test_organisation_roles.py",
            "tests/accounts/test_organisation_membership.py",
            "tests/accounts/test_coordination.py",
            "tests/public/test_cosigning_verified.py",
        ),
        # Nothing calls is_admin (Django's admin site checks is_active/is_staff itself):
        # its mutants have no behaviour to change. See docs/mutation.md.
        skip=("is_admin",),
    ),
    Target(
        "statements/permissions.py",
        tests=(
            "tests/statements/test_permission_table.py",
            "tests/statements/test_author_cache.py",
            # The view matrices (tests/statements/test_role_matrix.py, tests/workflow/
            # test_matrix.py, ~70 s a pass) kill nothing the table does not: left out.
            "tests/statements/test_coauthors_dashboard.py",
        ),
    ),
    Target(
        "discussion/permissions.py",
        tests=(
            "tests/discussion/test_permission_table.py",
            "tests/discussion/test_comment_limits.py",
            # test_matrix.py (the views, ~40 s a pass) kills nothing the table and
            # test_comment_limits.py do not: left out.
            "tests/discussion/test_suggestions.py",
            "tests/discussion/test_moderation.py",
        ),
    ),
    Target(
        "public/permissions.py",
        tests=(
            "tests/public/test_cosigning.py",
            "tests/public/test_cosigning_verified.py",
            "tests/public/test_cosigning_frozen.py",
        ),
    ),
    Target(
        "statements/services.py",
        functions=("revision_save", "_write_revision"),
        tests=(
            "tests/statements/test_revision_numbers.py",
            "tests/statements/test_editor.py",
            "tests/statements/test_diff_restore.py",
        ),
    ),
    Target(
        "notifications/services.py",
        functions=("_claim", "_mark_sent", "_mark_retry", "_mark_skipped"),
        tests=(
            "tests/notifications/test_outbox_rows.py",
            "tests/notifications/test_smtp_session.py",
            "tests/notifications/test_outbox.py",
            "tests/notifications/test_smtp.py",
            "tests/notifications/test_sent_before_end_of_data.py",
            "tests/notifications/test_delivery_faults.py",
        ),
    ),
    Target(
        "notifications/smtp.py",
        functions=("send_once", "_abandon"),
        tests=(
            "tests/notifications/test_smtp_session.py",
            "tests/notifications/test_outbox_rows.py",
            "tests/notifications/test_smtp.py",
            "tests/notifications/test_sent_before_end_of_data.py",
            "tests/notifications/test_outbox.py",
            "tests/notifications/test_delivery_faults.py",
        ),
    ),
)
