"""The e-mail templates: the fast fill-in renders exactly what Jinja renders."""

from __future__ import annotations

import pytest

from kvkk_tracker.mail import render, render_filled

VALUES = {"rung": "d5", "tracking_no": "KVKK-2026-ABCD-EFGH", "received_at": "01.04.2026",
          "statutory_due": "01.05.2026", "outer_due": "04.05.2026", "cutoff": "23:59",
          "status": "İncelemede", "assignee": "Işıl Çağlayan {x}", "days_before": "5",
          "working_days_late": "3"}


@pytest.mark.parametrize("kind", ["before", "due_day", "overdue", "overdue_daily",
                                  "unassigned"])
def test_fill_in_equals_a_full_render(kind):
    variant = {"kind": kind, "unassigned_days": "2"}
    assert render_filled("reminder", variant, VALUES) == render("reminder", **variant,
                                                                **VALUES)


def test_subjects_say_what_happened():
    subjects = {kind: render_filled("reminder", {"kind": kind, "unassigned_days": "2"},
                                    VALUES).subject
                for kind in ("before", "due_day", "overdue", "overdue_daily", "unassigned")}
    assert subjects == {
        "before": "[KVKK] Yasal sürenin dolmasına 5 gün: KVKK-2026-ABCD-EFGH (son gün 01.05.2026)",
        "due_day": "[KVKK] Yasal süre BUGÜN doluyor: KVKK-2026-ABCD-EFGH (saat 23:59)",
        "overdue": "[KVKK] SÜRE AŞILDI: KVKK-2026-ABCD-EFGH (son gün 01.05.2026)",
        "overdue_daily": "[KVKK] SÜRE AŞILDI, 3. iş günü: KVKK-2026-ABCD-EFGH "
                         "(son gün 01.05.2026)",
        "unassigned": "[KVKK] Atanmamış başvuru: KVKK-2026-ABCD-EFGH",
    }


def test_a_value_cannot_smuggle_a_marker():
    filled = render_filled("reminder", {"kind": "before", "unassigned_days": "2"},
                           {**VALUES, "assignee": "a\x00tracking_no\x00b"})
    assert "\x00" not in filled.body and "atracking_nob" in filled.body
