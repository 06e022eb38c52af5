"""Reminders to the secretaries of a season: an e-mail through the operator's SMTP server (when
the account has an address and SMTP is set up) and a notice on the unit's home page.

``remind`` is the office's click on the board; ``remind_due`` is the daily automatic run
(``REMINDER_DAYS_BEFORE`` days before the deadline up to it), at most once a day per unit, only
to units not yet done. Nothing is ever sent to an account without an address.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.accounts import Actor, Organisation, User, record
from service.errors import FieldProblem, InvalidInputError
from service.seasons import board
from service.seasons.models import Notice, Season
from service.storage import Storage

DONE = ("signed", "reviewed")  # states an automatic reminder leaves alone


@dataclass(frozen=True)
class Mailer:
    """The operator's SMTP server (``SMTP_*`` settings); ``host`` empty: no e-mail at all."""

    host: str
    port: int
    user: str
    password: str
    tls: str  # "none", "starttls" or "ssl"
    sender: str
    timeout: float = 20.0

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one plain-text message (raises ``OSError``/``smtplib.SMTPException`` on failure)."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        context = ssl.create_default_context()
        if self.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=context
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.tls == "starttls":
                client.starttls(context=context)
            if self.user:
                client.login(self.user, self.password)
            client.send_message(message)


def mailer_from(config: Mapping[str, Any]) -> Mailer | None:
    """The operator's SMTP server from the settings (None when ``SMTP_HOST`` is empty)."""
    if not config["SMTP_HOST"]:
        return None
    return Mailer(config["SMTP_HOST"], int(config["SMTP_PORT"]), config["SMTP_USER"], config["SMTP_PASSWORD"],
                  config["SMTP_TLS"], config["SMTP_FROM"])


def _text(season: Season, unit: Organisation, link: str) -> tuple[str, str, str]:
    subject = f"Nhắc việc: {season.title} – hạn {season.deadline:%d/%m/%Y}"
    notice = (
        f"Văn phòng đảng ủy nhắc: {season.title} của {unit.name}, hạn {season.deadline:%d/%m/%Y}. "
        "Hãy hoàn thành biên bản, báo cáo và gửi bản đã ký."
    )
    body = f"Kính gửi đồng chí bí thư {unit.name},\n\n{notice}\n\nMở trang: {link}\n\nchibo-docs"
    return subject, notice, body


def remind(
    session: Session,
    season: Season,
    unit_ids: Collection[str],
    *,
    mailer: Mailer | None,
    link: str,
    actor: Actor | None,
    today: date,
) -> dict[str, dict[str, object]]:
    """Remind the chosen units of the season: a notice each, an e-mail to each secretary with an
    address; unit id → what was done (``emails``: addresses written to, ``failed``, ``notice``)."""
    units = {u.organisation_id: u for u in season.units}
    unknown = [u for u in unit_ids if u not in units]
    if unknown or not unit_ids:
        raise InvalidInputError([FieldProblem("organisation_ids", "Chọn đơn vị của đợt để nhắc.")])
    done: dict[str, dict[str, object]] = {}
    for unit_id in dict.fromkeys(unit_ids):
        org = session.get(Organisation, unit_id)
        assert org is not None
        subject, notice, body = _text(season, org, link)
        session.add(Notice(organisation_id=org.id, season_id=season.id, text=notice))
        sent, failed = 0, 0
        users = session.scalars(select(User).where(User.organisation_id == org.id, User.active.is_(True)))
        for user in users:
            if not user.email or mailer is None or not mailer.host:
                continue
            try:
                mailer.send(user.email, subject, body)
                sent += 1
            except (OSError, smtplib.SMTPException):
                failed += 1
        units[unit_id].reminded_on = today
        done[unit_id] = {"notice": True, "emails": sent, "failed": failed}
        record(
            session,
            actor,
            "season-remind",
            "season",
            season.id,
            org.id,
            f"{org.name}: thông báo; {sent} thư" + (f", {failed} thư không gửi được" if failed else ""),
        )
    return done


def remind_due(
    session: Session, storage: Storage, *, mailer: Mailer | None, days: int, link: str, today: date
) -> int:
    """The daily run: remind every unit not done of a season whose deadline is within *days*
    days, unless it was reminded today; how many units were reminded."""
    if days <= 0:
        return 0
    count = 0
    seasons = session.scalars(
        select(Season).where(Season.deadline >= today, Season.deadline <= today + timedelta(days=days))
    )
    for season in seasons:
        rows = board.board(session, storage, season, None, today)
        due = [r.organisation_id for r in rows if r.state not in DONE and r.reminded_on != today]
        if due:
            remind(session, season, due, mailer=mailer, link=link, actor=None, today=today)
            count += len(due)
    return count


def notices(session: Session, organisation_id: str | None, limit: int = 5) -> list[Notice]:
    """The unit's newest unread notices (for its home page)."""
    if organisation_id is None:
        return []
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.organisation_id == organisation_id, Notice.read_at.is_(None))
            .order_by(Notice.id.desc())
            .limit(limit)
        )
    )
