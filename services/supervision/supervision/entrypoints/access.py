"""Who may do what in supervision (权限): the role sets of its routes. Village scope (a
village clerk sees the own village's items) is `shared.pipeline.Scope`'s."""

from __future__ import annotations

from shared.roles import Role

R = Role
#: The town's leaders who record supervision work (the leading group and the measures' leads).
LEADERS = (
    R.TOWN_SECRETARY,
    R.DEPUTY_SECRETARY,
    R.ORGANISATION_MEMBER,
    R.DISCIPLINE_SECRETARY,
    R.AGRICULTURE_LEADER,
    R.ECONOMIC_LEADER,
)
#: Strike items off (销号) and reopen them: the leading group's office and supervision, not
#: the units that did the work.
ITEM_CLOSERS = (R.TOWN_SECRETARY, R.DEPUTY_SECRETARY, R.ORGANISATION_MEMBER, R.DISCIPLINE_SECRETARY)
ITEM_READERS = (*LEADERS, R.AUDITOR, R.VILLAGE_CLERK, R.BRANCH_SECRETARY)
PLAN_REGISTRARS = (R.TOWN_SECRETARY, R.ORGANISATION_MEMBER)
PLAN_READERS = tuple(Role)
PETITION_WRITERS = (R.DEPUTY_SECRETARY,)
PETITION_READERS = (R.DEPUTY_SECRETARY, R.TOWN_SECRETARY, R.AUDITOR)
PETITIONER_NAME_READERS = frozenset({R.DEPUTY_SECRETARY, R.TOWN_SECRETARY})
DIRECTIVE_REGISTRARS = (R.DISCIPLINE_SECRETARY, R.TOWN_SECRETARY)
DIRECTIVE_READERS = (*LEADERS, R.AUDITOR)
CLUE_WRITERS = (R.DISCIPLINE_SECRETARY,)
CLUE_READERS = (R.DISCIPLINE_SECRETARY, R.TOWN_SECRETARY, R.AUDITOR)
CLUE_SUBJECT_READERS = frozenset({R.DISCIPLINE_SECRETARY, R.TOWN_SECRETARY})
#: The leading group (领导小组): its chair, executive deputy chair and office director.
LEADING_GROUP = (R.TOWN_SECRETARY, R.DEPUTY_SECRETARY, R.ORGANISATION_MEMBER)
#: Publish a village's list of small powers: the town's measure-6 lead and the village's
#: branch secretary (own village); everyone reads the lists (they are public, 公开).
POWER_LIST_PUBLISHERS = (R.TOWN_SECRETARY, R.ORGANISATION_MEMBER, R.BRANCH_SECRETARY)
POWER_LIST_READERS = tuple(Role)
#: Record a village committee's members, reports and findings: the town's measure-6 lead,
#: the discipline secretary, and the village clerk (own village).
COMMITTEE_WRITERS = (
    R.TOWN_SECRETARY,
    R.ORGANISATION_MEMBER,
    R.DISCIPLINE_SECRETARY,
    R.VILLAGE_CLERK,
)
COMMITTEE_READERS = ITEM_READERS
APPRAISAL_RECORDERS = LEADING_GROUP
APPRAISAL_READERS = (*LEADERS, R.AUDITOR)
