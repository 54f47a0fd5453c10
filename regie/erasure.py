"""One person's data: export it (AVG art. 15), forget a departed contact (art. 17), and redact
personal data from one status update's note (the office's correction of a free text).

See docs/operations.md, "Personal data", for what is kept where and what forgetting changes.
The Dutch texts these write are templates in ``regie/templates/privacy/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.office_names import OfficeNames
    from store.records import OutboxRecord


def text(template: str, **context: Any) -> str:
    """One of the privacy texts (``regie/templates/privacy/<template>.txt.j2``), one line."""
    from regie.texts import text

    return text(f"privacy/{template}.txt.j2", **context)


def outbox_placeholder(pseudonym: str, kind: str, day: str) -> str:
    """What a forgotten contact's message body becomes (kind, day and key stay in columns)."""
    return text("outbox_forgotten", pseudonym=pseudonym, kind=kind, day=day)


def suppressed_reason() -> str:
    """Why a message to a forgotten contact that was not sent yet never will be."""
    return text("suppressed_forgotten")


def redacted_note(day: date, office: OfficeNames | None = None) -> str:
    """What a redacted status update's note becomes (``office``: the plan's words for the
    office, default "het programmabureau")."""
    from governance.office_names import office_names

    return text("note_redacted", day=day, office=office or office_names())


@dataclass(frozen=True, slots=True)
class ForgetReport:
    contact: str
    pseudonym: str
    counts: dict[str, int]
    files: list[str] = field(default_factory=list)
    done: bool = False


def export_contact(app: App, code: str, now: datetime) -> dict[str, Any]:
    """Every stored row about contact ``code`` (one JSON document): a renamed contact's rows
    under each id they had (``formerly``, review58 1), the ids named in ``ids``."""
    from store.erasure import contact_known, export

    try:
        plan = app.load_plan()
    except InvalidInput:  # a plan with problems still lets the office answer a request
        person, ids, programme_id = code, [code], app.programme_id()
    else:
        person = plan.person(code)  # an old id names the contact it became
        ids = sorted(plan.known_as([person]), key=lambda i: (i != person, i))
        programme_id = plan.programme.id
    with app.session() as session:
        stored = [i for i in ids if contact_known(session, programme_id, i)]
        if not stored:
            raise InvalidInput(f"{code}: no contact with that id is stored")
        data = _merged([export(session, programme_id, i) for i in stored])
    files = [str(p) for p in _eml_files(app, [m["key"] for m in data["outbox"]])]
    return {
        "contact": person,
        "ids": stored,
        "programme": programme_id,
        "exported_at": now.isoformat(),
        **data,
        "outbox_files": files,
    }


def _merged(exports: list[dict[str, Any]]) -> dict[str, Any]:
    """One export of several ids of one person: each list's rows once (rows found by address
    come with every id), other values as the first (current) id's."""
    out = dict(exports[0])
    for data in exports[1:]:
        for key, rows in data.items():
            if not isinstance(rows, list):
                continue
            seen = {json.dumps(r, sort_keys=True, default=str) for r in out[key]}
            out[key] = [*out[key]] + [
                r for r in rows if json.dumps(r, sort_keys=True, default=str) not in seen
            ]
    return out


def write_export(data: dict[str, Any], out: Path | None) -> str:
    """The export as indented JSON: to ``out`` (never overwritten) or returned for stdout."""
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False, default=str) + "\n"
    if out is None:
        return text
    from store.files import write_private

    try:  # 0600, new only: it is one person's data, names and addresses
        write_private(out, text.encode("utf-8"), exclusive=True)
    except FileExistsError:
        raise InvalidInput(f"{out}: already exists; not overwritten") from None
    except OSError as exc:
        raise InvalidInput(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    return f"exported contact {data['contact']} to {out}"


def forget_contact(app: App, code: str, now: datetime, *, notes: bool, apply: bool) -> ForgetReport:
    """Erase contact ``code``'s personal data in one transaction (``apply``), or say what an
    erasure would change (the same transaction, rolled back)."""
    from regie.services import office_day
    from store.erasure import ErasureRefused, contact_known, forget

    plan = app.load_plan()
    if (current := plan.contact(code)) is not None:  # an old id too: the same person
        now_as = "" if current.id == code else f" (now {current.id}: its 'formerly')"
        raise InvalidInput(
            f"{code}: still a contact in the plan{now_as}; remove them from the plan first "
            "(and run `regie sync`)"
        )
    programme_id = plan.programme.id
    with app.writing(), app.session() as session, _applied_if(session, apply):
        if not contact_known(session, programme_id, code):
            raise ErasureRefused(f"{code}: no contact with that id is stored")
        done = forget(
            session,
            programme_id,
            code,
            now,
            day=office_day(app, now),
            notes=notes,
            placeholder=outbox_placeholder,
            reason=suppressed_reason(),
        )
    files = _eml_files(app, done.outbox_keys)
    if apply:
        for path in files:
            path.unlink(missing_ok=True)
    counts = {k: v for k, v in sorted(done.counts.items()) if v}
    counts["outbox_files"] = len(files)
    return ForgetReport(code, done.pseudonym, counts, [str(p) for p in files], apply)


@contextmanager
def _applied_if(session: Session, apply: bool) -> Iterator[None]:
    """One transaction for an erasure or a redaction: committed with ``apply``, else rolled
    back (a dry run makes the same changes to say what they would be, and keeps none). A
    refusal (:class:`store.erasure.ErasureRefused`) is the user's one line (exit 2); any
    error rolls back."""
    from store.erasure import ErasureRefused

    transaction = session.begin()
    try:
        yield
    except ErasureRefused as exc:
        transaction.rollback()
        raise InvalidInput(str(exc)) from None
    except BaseException:
        transaction.rollback()
        raise
    if apply:
        transaction.commit()
    else:
        transaction.rollback()


def _eml_files(app: App, keys: list[str]) -> list[Path]:
    """The file notifier's copies of the messages ``keys`` (a crashed send's .tmp included),
    also under the key-only name files had before they carried the programme: in a home
    shared by programmes that name may hold another's message, and an erasure errs toward
    removing a copy rather than leaving one behind."""
    from notifications.file_outbox import copies

    directory = app.settings.outbox_dir
    programme = app.programme_id()
    return [path for k in keys for path in copies(directory, k, programme)]


def forget_user(app: App, username: str) -> str:
    """Forget a disabled office login: its name and display name go, its sessions too."""
    from store.erasure import forget_user as store_forget

    with app.writing(), app.session() as session, session.begin():
        pseudonym = store_forget(session, username)
    if pseudonym is None:
        raise InvalidInput(f"{username}: no disabled user by that name (disable them first)")
    return f"user {username} forgotten: now {pseudonym}"


@dataclass(frozen=True, slots=True)
class RedactReport:
    update_id: int
    item: str
    counts: dict[str, int]
    done: bool = False


def _rerendered(message: OutboxRecord) -> OutboxRecord | None:
    """``message``'s texts rendered again from its (redacted) payload's ``render`` context, as
    the sender does for a digest revised before sending (:func:`regie.recheck.rerender`)."""
    from jinja2 import TemplateError

    from regie.recheck import rerender

    context = message.payload.get("render")
    if not isinstance(context, dict) or message.kind not in RENDERED_KINDS:
        return None
    try:
        return rerender(message, context, set())
    except (TemplateError, KeyError, TypeError, ValueError):
        return None  # a context today's templates cannot render: the quoted form is replaced


#: The kinds whose payload's ``render`` context is what :func:`regie.recheck.rerender` reads.
RENDERED_KINDS = ("reminder_digest", "escalation_digest")


def redact_update(
    app: App,
    update_id: int,
    now: datetime,
    *,
    reason: str,
    apply: bool,
    by: str | None = None,
) -> RedactReport:
    """Replace one status update's note by a placeholder and scrub its copies (see
    :func:`store.erasure.redact`) in one transaction (``apply``), or say what that would change
    (the same transaction, rolled back). The file notifier's copy of a message it scrubs (one
    not sent, written before a crash or a restore took its sending back) is removed after the
    commit, so that its sending writes the scrubbed text: counted as ``outbox_files``.
    Archived reports and sent messages stay as they are. ``by``: who redacts (recorded);
    default the acting operator (:mod:`store.actor`)."""
    from governance.office_names import office_names
    from regie.services import office_day
    from store.actor import clean_actor, current_actor
    from store.erasure import redact

    by = clean_actor(by) if by else current_actor()

    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput("--reason: say why the note is redacted (it is recorded)")
    programme_id = app.programme_id()
    day = office_day(app, now)
    office = office_names(app.load_plan().programme)
    with app.writing(), app.session() as session, _applied_if(session, apply):
        done = redact(
            session, programme_id, update_id, now, day, by=by, reason=reason,
            placeholder=redacted_note(day, office), rerender=_rerendered,
        )  # fmt: skip
    # A file copy would otherwise keep the note: the file notifier does not write a message
    # again over its existing file.
    files = _eml_files(app, done.outbox_keys)
    if apply:
        for path in files:
            path.unlink(missing_ok=True)
    counts = {k: v for k, v in sorted(done.counts.items()) if v}
    if files:
        counts["outbox_files"] = len(files)
    return RedactReport(update_id, done.item_code, counts, apply)
