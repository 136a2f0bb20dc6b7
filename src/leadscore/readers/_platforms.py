"""
What each survey platform's export looks like: header rows, metadata columns, missing codes.

The facts come from the platforms' documentation and public code, gathered in the project's
research notes (shared/research/exports.md, section 1c), which name their sources. Where no
source confirmed a fact it is marked here as well ("unverified"), and a file that differs is
refused with its columns named rather than read by a guess.

The registry is open: `register_platform` adds a platform. REDCap, SurveyJS and leadscore's
own form are the formats `leadscore.surveys` writes surveys for; a JSON file (SurveyJS
results, a form file) says its platform by its shape.
"""

from __future__ import annotations

import json
import re

from collections.abc import Iterable, Mapping, Sequence

from attrs import field, frozen

from leadscore.errors import ArgumentTypeError, InvalidArgumentError


__all__ = ["MISSING", "NOT_APPLICABLE", "PLATFORMS", "Platform", "detect", "platform_named", "register_platform"]

#: What a platform's code means: not answered, or "not applicable" (read as the item's
#: not-applicable answer where it declares one, and as not answered otherwise).
MISSING = "missing"
NOT_APPLICABLE = "not applicable"


def _frozen(names: Iterable[str]) -> frozenset[str]:
    return frozenset(names)


@frozen
class Platform:
    r"""
    One survey platform's export format.

    Attributes:
        name: The name ``--platform`` takes (``"qualtrics"``).
        title: The platform's name as people write it.
        signature: Columns that together identify an export of this platform (empty: never
            detected, only chosen).
        metadata: Columns the platform adds that are no answers: ignored, and named in the
            mapping report.
        metadata_patterns: Regular expressions for more such columns (``TIME\\d{3}``).
        codes: Cell codes with a meaning of their own (``"-9"``: not answered).
        header_rows: Rows of header before the answers (Qualtrics: 3, or 2 without the
            ImportId row; SurveyMonkey: 2).
        delimiter: The delimiter its text exports use, if it always uses one.
        texts: Where item texts stand in the header: ``"after-dash"`` (Qualtrics' second row,
            "question - statement"), ``"brackets"`` (a grid row in ``[...]``),
            ``"second-row"`` (SurveyMonkey's sub-item row under its question row).
        id_column: The column that identifies a response when ``respondent`` is absent and
            none is named (REDCap's ``record_id``).
        signed_codes: Answer codes below zero are written ``n`` and the magnitude (``n1`` is
            -1), as leadscore's LimeSurvey surveys code them.
    """

    name: str
    title: str
    signature: frozenset[str] = field(default=frozenset(), converter=_frozen)
    metadata: frozenset[str] = field(default=frozenset(), converter=_frozen)
    metadata_patterns: tuple[str, ...] = ()
    codes: Mapping[str, str] = field(factory=dict)
    header_rows: int = 1
    delimiter: str | None = None
    texts: frozenset[str] = field(default=frozenset({"brackets"}), converter=_frozen)
    id_column: str | None = None
    signed_codes: bool = False

    def is_metadata(self, column: str) -> bool:
        """Whether *column* is one of the platform's own columns."""
        return column in self.metadata or any(re.fullmatch(p, column) for p in self.metadata_patterns)


PLATFORMS: dict[str, Platform] = {}


def register_platform(platform: Platform, *, replace: bool = False) -> None:
    """Add *platform* to the registry (``replace=True`` to change one of the same name)."""
    if not isinstance(platform, Platform):
        raise ArgumentTypeError(f"register_platform takes a Platform (got {type(platform).__name__})")
    if platform.name in PLATFORMS and not replace:
        raise InvalidArgumentError(f"a platform named {platform.name!r} is registered already (replace=True)")
    PLATFORMS[platform.name] = platform


def platform_named(name: str) -> Platform:
    """The registered platform called *name*."""
    if name not in PLATFORMS:
        raise InvalidArgumentError(f"platform must be 'auto' or one of {', '.join(sorted(PLATFORMS))} (got {name!r})")
    return PLATFORMS[name]


def detect(rows: Sequence[Sequence[str]]) -> tuple[Platform, str]:
    """
    The platform whose signature the first rows carry, and why; plain CSV when none does.

    Raises `InvalidArgumentError` when two platforms' signatures both fit (the caller names one).
    """
    header = set(rows[0]) if rows else set()
    found = [p for p in PLATFORMS.values() if p.signature and p.signature <= header]
    if len(found) > 1:
        names = " and ".join(sorted(p.name for p in found))
        raise InvalidArgumentError(f"the header fits {names} alike: give the platform (--platform)")
    if not found:
        return PLATFORMS["csv"], "no platform's columns in the header: a plain table"
    platform = found[0]
    columns = ", ".join(sorted(platform.signature))
    return platform, f"its columns {columns}"


def header_rows(platform: Platform, rows: Sequence[Sequence[str]]) -> int:
    """How many header rows this file has: Qualtrics' third (ImportId) row is present or not."""
    if platform.name == "qualtrics":
        third = rows[2] if len(rows) > 2 else []
        return 3 if any(_is_import_id(cell) for cell in third) else 2
    return platform.header_rows


def _is_import_id(cell: str) -> bool:
    if not cell.startswith("{"):
        return False
    try:
        value = json.loads(cell)
    except ValueError:
        return False
    return isinstance(value, dict) and "ImportId" in value


def _columns(names: str) -> frozenset[str]:
    """Column names written as one comma-separated line."""
    return frozenset(name.strip() for name in names.split(","))


_CASTOR_MISSING = {
    "-95": MISSING,  # measurement failed
    "-96": NOT_APPLICABLE,
    "-97": MISSING,  # not asked
    "-98": MISSING,  # asked but unknown
    "-99": MISSING,  # not done
}

for _platform in (
    Platform(name="csv", title="a plain table (CSV or TSV)"),
    Platform(
        name="qualtrics",
        title="Qualtrics",
        signature={"StartDate", "ResponseId"},
        metadata=_columns(
            "StartDate, EndDate, Status, IPAddress, Progress, Duration (in seconds), Finished, RecordedDate, "
            "ResponseId, RecipientLastName, RecipientFirstName, RecipientEmail, ExternalReference, "
            "LocationLatitude, LocationLongitude, DistributionChannel, UserLanguage, "
            # Qualtrics 360: who is rated, who rates, and how they are related.
            "SubjectUniqueIdentifier, ParticipantUniqueIdentifier, Relationship, Unsolicited"
        ),
        metadata_patterns=(r"Q_[A-Za-z]+",),
        header_rows=3,
        texts={"after-dash", "whole-second-row"},
    ),
    Platform(
        name="limesurvey",
        title="LimeSurvey",
        signature={"id", "submitdate", "lastpage", "startlanguage"},
        metadata=_columns(
            "id, submitdate, lastpage, startlanguage, seed, token, startdate, datestamp, ipaddr, refurl, interviewtime"
        ),
        metadata_patterns=(r"(?i)grouptime\d+",),
        signed_codes=True,
    ),
    Platform(
        name="surveymonkey",
        title="SurveyMonkey",
        signature={"Respondent ID", "Collector ID"},
        metadata=_columns(
            "Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address, First Name, Last Name"
        ),
        metadata_patterns=(r"Custom Data \d+",),
        header_rows=2,
        texts={"second-row"},
    ),
    Platform(
        name="google-forms",
        title="Google Forms",
        signature={"Timestamp"},
        metadata={"Timestamp", "Email Address", "Score"},
    ),
    Platform(
        name="google-forms-nl",
        title="Google Forms (Dutch)",
        signature={"Tijdstempel"},
        metadata={"Tijdstempel", "E-mailadres", "Score"},
    ),
    Platform(
        # Unverified: no public source shows a Microsoft Forms export's columns for certain.
        name="microsoft-forms",
        title="Microsoft Forms",
        signature={"ID", "Start time", "Completion time"},
        metadata={"ID", "Start time", "Completion time", "Email", "Name", "Last modified time"},
    ),
    Platform(
        name="sosci",
        title="SoSci Survey",
        signature={"CASE", "QUESTNNR"},
        metadata=_columns(
            "CASE, SERIAL, REF, QUESTNNR, MODE, STARTED, MAILSENT, LASTDATA, FINISHED, Q_VIEWER, LASTPAGE, "
            "MAXPAGE, MISSING, MISSREL, TIME_SUM, TIME_RSI, DEG_TIME"
        ),
        metadata_patterns=(r"TIME\d{3}",),
        codes={"-9": MISSING, "-1": NOT_APPLICABLE},
        delimiter="\t",
    ),
    Platform(
        name="castor",
        title="Castor EDC",
        signature={"Participant Id"},
        metadata={"Participant Id", "Participant Status", "Site Abbreviation"},
        metadata_patterns=(r"Randomi[sz]ation.*",),
        codes=_CASTOR_MISSING,
        delimiter=";",
    ),
    Platform(
        # REDCap's data export: raw codes or labels, one header row; the first field is the
        # record id (named record_id by convention, and in leadscore's dictionaries). Found
        # by the fields of leadscore's dictionary; any other REDCap export: --platform redcap.
        name="redcap",
        title="REDCap",
        signature={"record_id", "leadscore"},
        metadata={
            "redcap_survey_identifier",
            "redcap_event_name",
            "redcap_repeat_instrument",
            "redcap_repeat_instance",
            "redcap_data_access_group",
        },
        metadata_patterns=(r"[a-z][a-z0-9_]*_(?:timestamp|complete)",),
        id_column="record_id",
    ),
    Platform(name="surveyjs", title="SurveyJS"),
    Platform(
        name="leadscore-form",
        title="leadscore's HTML form",
        metadata={"form", "language", "saved"},
        id_column="respondent",
    ),
    Platform(
        name="castor-survey",
        title="Castor EDC (survey export, long format)",
        signature={"Survey Instance Id", "Castor Participant Id"},
        metadata={"Survey Instance Id", "Castor Participant Id", "Survey Package Name"},
        codes=_CASTOR_MISSING,
        delimiter=";",
    ),
):
    register_platform(_platform)
