"""The roster of a chi bộ: members on record, imported from the lists chi bộ already keep.

``models`` the table; ``schemas`` the JSON the API takes (pydantic); ``store`` reading and
replacing it, audited; ``tables`` + ``headers`` + ``dates`` + ``values`` + ``importer`` a spreadsheet or CSV
read into a preview (python-calamine only here); ``status.members_at`` the members at a
meeting's date, what a new meeting's form starts from.
"""

from __future__ import annotations

from service.roster.importer import Preview, preview
from service.roster.models import RosterMember
from service.roster.schemas import (
    FIELDS,
    LEFT_REASONS,
    SEXES,
    Roster,
    RosterEntry,
    parse_roster,
    roster_json_schema,
)
from service.roster.status import MemberOnDate, members_at
from service.roster.store import entry_of, members, merged, replace
from service.spreadsheets.tables import ACCEPTED

__all__ = ["ACCEPTED", "FIELDS", "LEFT_REASONS", "SEXES", "MemberOnDate", "Preview", "Roster", "RosterEntry",
           "RosterMember", "entry_of", "members", "members_at", "merged", "parse_roster", "preview",
           "replace", "roster_json_schema"]
