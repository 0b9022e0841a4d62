"""Turn an application and the settings into the plain dict a letter template receives.

Nothing from the ORM leaves this module: templates see strings, dates already formatted the
Turkish way (dd.mm.yyyy), and lists of dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from ..domain.deadlines import complaint_window, to_istanbul
from ..domain.decisions import REASONS_BY_CODE
from ..domain.fees import TEBLIG_FREE_PAGES, FeeError, FeePolicy
from ..domain.identity import mask_tckn, may_release_data
from ..domain.rights import CHANNELS_BY_CODE, RIGHT_CODES, RIGHTS_BY_CODE
from ..domain.text import format_date
from .labels import ACTION_LABELS, OUTCOME_LABELS, SUBJECTS, TITLES
from .render import KINDS, FeeSettingError, LetterError

INVENTORY_RIGHTS = ("b", "c", "cc")
INVENTORY_KEYS = ("category", "purpose", "legal_basis", "retention", "recipients_domestic",
                  "recipients_abroad")
DEFAULT_OFFICER_TITLE = "Kişisel Verileri Koruma Birimi"
COMPLAINT_OUTER_DAYS = 60
FULL_NUMBER_KINDS = ("reply",)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _controller(config: Mapping) -> dict:
    return {
        "name": _text(config.get("KVKK_CONTROLLER_NAME")),
        "address": _text(config.get("KVKK_CONTROLLER_ADDRESS")),
        "kep": _text(config.get("KVKK_CONTROLLER_KEP")),
        "phone": _text(config.get("KVKK_CONTROLLER_PHONE")),
        "email": _text(config.get("KVKK_CONTROLLER_EMAIL")),
        "mersis": _text(config.get("KVKK_CONTROLLER_MERSIS")),
        "verbis": _text(config.get("KVKK_CONTROLLER_VERBIS")),
        "logo_path": _text(config.get("KVKK_CONTROLLER_LOGO")) or None,
    }


def _applicant(application, *, full_number: bool) -> dict:
    turkish = application.nationality == "TR"
    number = _text(application.tckn if turkish else application.passport_no)
    if not full_number:
        number = mask_tckn(number) or ""
    return {
        "first_name": _text(application.first_name),
        "last_name": _text(application.last_name),
        "turkish": turkish,
        "tckn": number if turkish else "",
        "nationality": "" if turkish else _text(application.nationality),
        "passport_no": "" if turkish else number,
        "address": _text(application.address),
        "email": _text(application.email),
        "phone": _text(application.phone),
        "representative": _text(application.representative_name),
    }


def _right_label(code: str) -> dict:
    right = RIGHTS_BY_CODE[code]
    # Art. 13(1) covers requests outside the Art. 11 list, e.g. withdrawing consent.
    basis = f"KVKK m. 11/1-{right.bent}" if right.bent else "KVKK m. 13/1"
    return {"code": code, "bent": right.bent, "label": right.tr, "basis": basis}


def _bents_phrase(codes) -> str:
    """Name the sub-paragraphs requested: "(a) bendi", "(a), (b) ve (ç) bentleri"."""
    bents = [f"({RIGHTS_BY_CODE[c].bent})" for c in codes if RIGHTS_BY_CODE[c].bent]
    if not bents:
        return ""
    if len(bents) == 1:
        return f"{bents[0]} bendi"
    return f"{', '.join(bents[:-1])} ve {bents[-1]} bentleri"


def _actions(right) -> list[dict]:
    return [{"action": a.action, "label": ACTION_LABELS[a.action],
             "recipient": _text(a.recipient), "done_on": format_date(a.done_on)}
            for a in right.actions]


def _inventory(entries, right_code: str) -> list[dict]:
    return [{key: _text(entry.get(key)) for key in INVENTORY_KEYS}
            for entry in entries or () if entry.get("right") == right_code]


def _decisions(application, inventory) -> list[dict]:
    order = {code: i for i, code in enumerate(RIGHT_CODES)}
    releasable = may_release_data(application.identity_status)
    decisions = []
    for right in sorted(application.rights, key=lambda r: order[r.right_code]):
        reason = REASONS_BY_CODE.get(right.reason_code) if right.reason_code else None
        granted = right.outcome in ("accepted", "partially_accepted")
        decisions.append({
            **_right_label(right.right_code),
            "outcome": right.outcome,
            "outcome_label": OUTCOME_LABELS.get(right.outcome, OUTCOME_LABELS[None]),
            "reason": reason.tr if reason else "",
            "citation": reason.citation if reason else "",
            "justification": _text(right.justification),
            "actions": _actions(right),
            # Data go out only for a granted right, and only to a verified applicant.
            "inventory": (_inventory(inventory, right.right_code)
                          if granted and releasable and right.right_code in INVENTORY_RIGHTS
                          else []),
        })
    return decisions


def _remedy(application_date: date, statutory_due: date, letter_date: date) -> dict:
    window = complaint_window(application_date, statutory_due, letter_date)
    return {"rule": window.rule, "runs_from": format_date(window.runs_from),
            "ends": format_date(window.ends), "letter_date": format_date(letter_date),
            "application_date": format_date(application_date),
            "outer_ends": format_date(application_date
                                      + timedelta(days=COMPLAINT_OUTER_DAYS))}


def _officer(officer, application) -> dict | None:
    person = officer if officer is not None else application.assignee
    if person is None:
        return None
    return {"name": _text(person.name), "title": _text(person.title) or DEFAULT_OFFICER_TITLE}


def _fee_policy(config: Mapping, extra: Mapping) -> dict:
    medium_cost = extra.get("medium_cost")
    free_pages = config.get("KVKK_FEE_FREE_PAGES") or TEBLIG_FREE_PAGES
    per_page = str(config.get("KVKK_FEE_PER_PAGE") or "0").strip().replace(",", ".")
    try:  # a wrong setting stops the letter with its name, not deep inside the renderer
        FeePolicy(int(free_pages), Decimal(per_page))
        if medium_cost is not None and Decimal(str(medium_cost)) < 0:
            raise FeeError("negative medium cost")
    except (ValueError, ArithmeticError) as error:
        raise FeeSettingError(f"KVKK_FEE_PER_PAGE={per_page!r}, KVKK_FEE_FREE_PAGES={free_pages!r}"
                          f", medium_cost={medium_cost!r}: {error}") from None
    return {"free_pages": int(free_pages), "per_page": per_page,
            "medium": _text(extra.get("medium")) or None,
            "medium_cost": None if medium_cost is None else str(medium_cost),
            "controller_error": bool(extra.get("controller_error"))}


def letter_context(session: Session, application, kind: str, *, now: datetime, officer=None,
                   config: Mapping, inventory: list[dict] | None = None,
                   extra: Mapping | None = None) -> dict:
    """Return the plain-dict context of a letter of `kind` about `application`.

    `now` dates the letter (Istanbul calendar); `officer` signs it (default: the assignee);
    `inventory` lists the processing-inventory entries the officer picked for rights (b), (c)
    and (ç); `extra` carries what the case does not store: `request` (the information asked
    for), `justification` (identity rejection), `medium`/`medium_cost` and `controller_error`
    (fee), `reference` (the outgoing letter number, default the tracking number).
    """
    if kind not in KINDS:
        raise LetterError(f"unknown letter kind {kind!r}")
    extra = dict(extra or {})
    local_now = to_istanbul(now)
    received = to_istanbul(application.received_at)
    application_date = received.date()
    channel = CHANNELS_BY_CODE.get(application.channel)
    context = {
        "kind": kind,
        "title": TITLES[kind],
        "subject_line": SUBJECTS[kind],
        "controller": _controller(config),
        "letter_date": format_date(local_now),
        "issued_at": local_now.isoformat(timespec="seconds"),
        "reference": _text(extra.get("reference")) or application.tracking_no,
        "application": {
            "tracking_no": application.tracking_no,
            "date": format_date(application_date),
            "received_time": f"{received:%H:%M}",
            "channel": channel.tr if channel else application.channel,
            "subject": _text(application.subject),
            "statutory_due": format_date(application.statutory_due),
            "outer_due": format_date(application.outer_due),
            "outer_differs": application.outer_due != application.statutory_due,
            "rights": [_right_label(code) for code in application.right_codes],
            "bents": _bents_phrase(application.right_codes),
            "other_requested": "other" in application.right_codes,
            "receipt_evidence": _text(application.receipt_evidence),
        },
        # Tebliğ Art. 6(4) puts the identity number in the reply; the other letters go out
        # before (or without) a verified identity and need no more than a masked one.
        "applicant": _applicant(application, full_number=kind in FULL_NUMBER_KINDS),
        "officer": _officer(officer, application),
        "remedy": _remedy(application_date, application.statutory_due, local_now.date()),
        "request": _text(extra.get("request")),
        "justification": _text(extra.get("justification")),
    }
    if kind == "reply":
        decisions = _decisions(application, inventory)
        context["decisions"] = decisions
        context["notified"] = [a for d in decisions for a in d["actions"]
                               if a["action"] == "recipient_notified"]
        context["fee_policy"] = _fee_policy(config, extra)
    if kind == "identity_rejection":
        reason = REASONS_BY_CODE["identity_not_verified"]
        context["reason"] = {"label": reason.tr, "citation": reason.citation}
    return context
