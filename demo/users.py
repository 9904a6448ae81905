"""The demo users of `make run` (演示用户): one per role of the design, with the villages the
village-scoped roles belong to. Tokens for them are signed with the local secret."""

from __future__ import annotations

from shared.roles import Principal, Role

DEMO_USERS: tuple[Principal, ...] = (
    Principal("secretary", "党委书记 李明", Role.TOWN_SECRETARY),
    Principal("deputy", "党委副书记 王强", Role.DEPUTY_SECRETARY),
    Principal("organisation", "组织委员 陈芳", Role.ORGANISATION_MEMBER),
    Principal("discipline", "纪委书记 赵刚", Role.DISCIPLINE_SECRETARY),
    Principal("agriculture", "分管农业负责人 刘伟", Role.AGRICULTURE_LEADER),
    Principal("economic", "分管经济发展负责人 周敏", Role.ECONOMIC_LEADER),
    Principal("clerk-shibi", "石壁村文书 张兰", Role.VILLAGE_CLERK, village="石壁村"),
    Principal("branch-shibi", "石壁村党支部书记 黄军", Role.BRANCH_SECRETARY, village="石壁村"),
    Principal("auditor", "审计员 孙丽", Role.AUDITOR),
    Principal("public", "公众", Role.PUBLIC),
)


def demo_user(user_id: str) -> Principal:
    """A demo user by id."""
    for user in DEMO_USERS:
        if user.user_id == user_id:
            return user
    raise KeyError(user_id)
