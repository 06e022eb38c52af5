"""Reminders: the daily run within REMINDER_DAYS_BEFORE days of the deadline, once a day per unit,
units not done only, e-mail (a real local SMTP server) only where there is an address."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from service import accounts, extensions
from service.extensions import get_storage
from service.seasons import reminders
from service.seasons.models import Notice, Season, SeasonUnit
from tests.support import people


def test_the_daily_run_reminds_once_a_day_and_writes_only_to_an_address(app, smtp_server):
    """Two units, one secretary with an address: one e-mail, two notices; again the same day: nothing."""
    office = people.organisation(app, people.DANG_BO, "dang_bo")
    units = [
        people.organisation(app, name, "chi_bo", people.DANG_BO) for name in ("Chi bộ Bắc", "Chi bộ Nam")
    ]
    mailer = reminders.Mailer("127.0.0.1", smtp_server.port, "", "", "none", "chibo <no-reply@example.vn>")
    with app.app_context(), extensions.session_scope() as session:
        for index, unit in enumerate(units):
            user = accounts.create_user(
                session, f"bt-nhac-{index}", "chi_bo", session.get(accounts.Organisation, unit)
            )
            user.email = "bac@example.vn" if index == 0 else None
        near = Season(organisation_id=office, title="Đợt gần hạn", year=2026, deadline=date(2026, 12, 10))
        near.units = [SeasonUnit(organisation_id=u) for u in units]
        far = Season(organisation_id=office, title="Đợt còn xa", year=2026, deadline=date(2027, 3, 1))
        far.units = [SeasonUnit(organisation_id=units[0])]
        session.add_all([near, far])
        session.flush()
        before = len(smtp_server.inbox.messages)
        count = reminders.remind_due(
            session, get_storage(), mailer=mailer, days=3, link="http://x/", today=date(2026, 12, 8)
        )
        again = reminders.remind_due(
            session, get_storage(), mailer=mailer, days=3, link="http://x/", today=date(2026, 12, 8)
        )
        notices = list(session.scalars(select(Notice)))
    assert count == 2 and again == 0
    assert len(smtp_server.inbox.messages) == before + 1
    message = smtp_server.inbox.wait_for("bac@example.vn")
    assert "Đợt gần hạn" in message["Subject"] and "10/12/2026" in message["Subject"]
    assert sorted(n.organisation_id for n in notices) == sorted(units) and all(
        "Đợt gần hạn" in n.text for n in notices
    )


def test_no_smtp_host_means_no_mailer():
    """No SMTP_HOST: no e-mail at all (the notices are written all the same, by ``remind``)."""
    assert reminders.mailer_from({"SMTP_HOST": ""}) is None
    assert (
        reminders.mailer_from(
            {
                "SMTP_HOST": "smtp.example.vn",
                "SMTP_PORT": "587",
                "SMTP_USER": "u",
                "SMTP_PASSWORD": "p",
                "SMTP_TLS": "starttls",
                "SMTP_FROM": "a@b.vn",
            }
        ).port
        == 587
    )
