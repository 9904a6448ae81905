"""The helper (帮扶责任人) of a pairing: a party member relief knows of (from party's
events), or a cadre named with their post."""

from __future__ import annotations

from relief.domain.events import Helper
from relief.domain.values import KnownMember
from shared.kernel import Refused


def party_member_helper(member_id: str, known: KnownMember | None) -> Helper:
    """A party member may help only if party has told relief about them (党员名册)."""
    if known is None:
        raise Refused(
            f"党员 {member_id} 不在党员名册中，不能结对；干部结对请填写姓名和职务 "
            "(unknown party member: party has not announced them)"
        )
    return Helper(
        kind="party_member", name=known.name, member_id=known.member_id, branch_id=known.branch_id
    )


def cadre_helper(name: str, post: str) -> Helper:
    """A cadre who is not (known as) a party member: name and post are required."""
    if not name.strip() or not post.strip():
        raise Refused("干部结对须填写姓名和职务 (a cadre needs a name and a post)")
    return Helper(kind="cadre", name=name.strip(), post=post.strip())


def same_helper(a: Helper, b: Helper) -> bool:
    """The same person: a party member by member id, a cadre by name and post."""
    if a.kind != b.kind:
        return False
    if a.kind == "party_member":
        return a.member_id == b.member_id
    return (a.name, a.post) == (b.name, b.post)
