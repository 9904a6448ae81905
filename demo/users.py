"""The demo users of `make run` (演示用户): one per role of the design, with the villages the
village-scoped roles belong to (易俗河镇's, the dashboard's login page lists them), and a few of
the second demo town, 花石镇 (`SECOND_TOWN_USERS`: their tokens name its code, so the write
services route them to its tenant). Tokens for them are signed with the local secret."""

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


#: 花石镇 (demo reference data, `shared/reference/430321106.yaml`): the second town's demo users.
HUASHI_TOWN_CODE = "430321106"
SECOND_TOWN_USERS: tuple[Principal, ...] = tuple(
    Principal(user_id, name, role, village, town=HUASHI_TOWN_CODE)
    for user_id, name, role, village in (
        ("huashi-secretary", "花石镇党委书记 罗平", Role.TOWN_SECRETARY, None),
        ("huashi-deputy", "花石镇党委副书记 谭勇", Role.DEPUTY_SECRETARY, None),
        ("huashi-organisation", "花石镇组织委员 彭丽", Role.ORGANISATION_MEMBER, None),
        ("huashi-agriculture", "花石镇分管农业负责人 胡斌", Role.AGRICULTURE_LEADER, None),
        ("huashi-economic", "花石镇分管经济发展负责人 曾红", Role.ECONOMIC_LEADER, None),
        ("huashi-clerk-zhushan", "竹山村文书 易芳", Role.VILLAGE_CLERK, "竹山村"),
    )
)


#: 湘潭县 (Xiangtan County): leaders whose tokens name the county's code — on the county's
#: dashboard (县级驾驶舱, `make run`'s :8105) they see every town; a town's service takes them too.
COUNTY_CODE = "430321"
COUNTY_USERS: tuple[Principal, ...] = (
    Principal("county-secretary", "县委副书记 刘志强", Role.TOWN_SECRETARY, town=COUNTY_CODE),
    Principal("county-auditor", "县审计局 审计 周静", Role.AUDITOR, town=COUNTY_CODE),
)


def users_of(area: str) -> tuple[Principal, ...]:
    """The demo users a dashboard of `area` lists: a town's own users, then the county's; a
    county's own users, then its towns'."""
    towns = tuple(u for u in (*DEMO_USERS, *SECOND_TOWN_USERS) if u.town.startswith(area))
    county = tuple(u for u in COUNTY_USERS if area.startswith(u.town) or u.town.startswith(area))
    return (*towns, *county) if len(area) >= 9 else (*county, *towns)


def demo_user(user_id: str) -> Principal:
    """A demo user by id (of either town, or the county)."""
    for user in (*DEMO_USERS, *SECOND_TOWN_USERS, *COUNTY_USERS):
        if user.user_id == user_id:
            return user
    raise KeyError(user_id)
