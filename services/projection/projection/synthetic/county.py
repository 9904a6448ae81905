"""A county-sized stream of envelopes: a realistic mix of all four services' events for every
village of the town, business days spread over 2016–2020, deterministic for a seed, generated
lazily (memory stays flat however many events are asked for).

One episode at a time — a household's life (registered, paired, assessed, visited for a year or
two, measures planned and done, exited, sometimes returned), a fund programme (allocations,
公示, disbursements and each beneficiary's side of them, red flags that open clues in
supervision, whose accountability deducts points in party), plan items, petitions, directives,
clues, a member's year of points, trainings, a half-year branch assessment with its weak
branches' rectification, 三资 and collective income, disclosures, livelihood projects, agency
requests, the five activities, village governance (`county_governance`) — chosen by weight,
its start day moving through 2016–2020 with the share of events made so far, so business time
advances roughly as it would in a live feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import deque
from collections.abc import Callable, Iterator

from projection.synthetic import funds as fu
from projection.synthetic import party as pa
from projection.synthetic import relief as rl
from projection.synthetic import supervision as su
from projection.synthetic.county_governance import GovernanceEpisodes
from projection.synthetic.county_governance import Place as _Place
from projection.synthetic.factory import EnvelopeFactory
from shared.envelope import Envelope
from shared.kernel import make_resident_id
from shared.settings import YISUHE_TOWN_CODE
from shared.town import load_town

START, END = dt.date(2016, 1, 1), dt.date(2020, 12, 31)
#: The share of an entity's events entered late (dated before its latest day), where the owning
#: service allows it (relief, funds); party and supervision refuse such facts.
LATE_SHARE = 0.02
SPAN = (END - START).days - 60
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "建国华明丽军平红英秀兰伟芳娟强磊敏静丹杰涛斌海云霞玉梅志勇春燕"
CAUSES = ("因病", "因残", "因学", "缺技术", "缺劳力", "缺资金", "因灾")
PROJECTS = {
    "income": "产业扶持",
    "relocation": "易地搬迁",
    "skills": "技能培训",
    "safety_net": "低保兜底",
    "infrastructure": "危房改造",
}
CATEGORIES = (
    "jobs",
    "medical",
    "school",
    "transport",
    "housing",
    "water",
    "power",
    "public_services",
    "culture_fitness",
    "environment",
)
FOCUS = ("涉众型经济纠纷", "征地拆迁", "企业改制")
FLAGS = (
    ("FUNDS-SHORT-PAID", "发放不足额（克扣）"),
    ("FUNDS-LATE", "拨付不及时"),
    ("FUNDS-DUPLICATE", "重复领取（冒领）"),
    ("FUNDS-CADRE-RELATIVE", "优亲厚友"),
)
MEASURES = (
    (1, "开展精准扶贫", "分管农业的负责人"),
    (2, "办好民生实事", "分管实事工作的负责人"),
    (3, "加强阵地建设", "分管党政综合办的负责人"),
    (4, "规范惠农资金", "分管经济发展工作的负责人"),
    (5, "整顿软弱涣散党组织", "组织委员"),
    (6, "发展村级集体经济", "分管经济发展工作的负责人"),
    (7, "化解矛盾纠纷", "党委副书记"),
    (8, "加强党员教育培训", "组织委员"),
    (9, "推行党员积分管理", "组织委员"),
    (10, "调整不胜任村干部", "组织委员"),
    (11, "整治为官不为", "纪委书记"),
    (12, "整治政令不畅", "纪委书记"),
    (13, "整治雁过拔毛", "纪委书记"),
    (14, "专项整治惠农资金", "纪委书记"),
)


#: The share of episodes followed by a village governance one (`county_governance`).
GOVERNANCE_SHARE = 0.06


class CountyGenerator(GovernanceEpisodes):
    """Yields `n` envelopes of the county mix (see the module's docstring)."""

    def __init__(self, n: int, *, seed: int = 2016, town: str = YISUHE_TOWN_CODE) -> None:
        self.n, self.made = n, 0
        self.rng = random.Random(seed)
        self.f = EnvelopeFactory(town, rng=random.Random(seed + 1), late_share=LATE_SHARE)
        self.places = [_Place(v, f"branch-{v.code}") for v in load_town(town).villages]
        self.heads: deque[tuple[str, str, str, str]] = deque(maxlen=3000)  # hid, name, id, village
        self.assessed: set[str] = set()
        self.serial = 0
        self.gov = random.Random(seed + 2)  # the governance episodes' own chances
        self.years_closed: set[int] = set()
        self.last_day = END
        episodes: list[tuple[float, Callable[[dt.date], Iterator[Envelope]]]] = [
            (25, self.household),
            (6, self.activity),
            (2, self.project),
            (5, self.agency),
            (1.2, self.programme),
            (1, self.assets),
            (0.8, self.collective),
            (2, self.disclosure),
            (7, self.item),
            (5, self.petition),
            (2.5, self.directive),
            (1.5, self.clue),
            (20, self.member_year),
            (8, self.training),
            (0.2, self.assessment),
            (0.3, self.adjustment),
        ]
        self.weights = [w for w, _ in episodes]
        self.episodes = [e for _, e in episodes]

    def __iter__(self) -> Iterator[Envelope]:
        for env in self._all():
            if self.made >= self.n:
                return
            self.made += 1
            yield env

    def _all(self) -> Iterator[Envelope]:
        yield from self.prelude(START)
        while self.made < self.n:
            [episode] = self.rng.choices(self.episodes, self.weights)
            yield from episode(self.today())
            if self.gov.random() < GOVERNANCE_SHARE:
                yield from self.governance(self.today())

    # helpers -----------------------------------------------------------------------------
    def today(self) -> dt.date:
        return START + dt.timedelta(
            days=SPAN * self.made // max(self.n, 1) + self.rng.randrange(30)
        )

    def after(self, day: dt.date, lo: int, hi: int) -> dt.date:
        return min(day + dt.timedelta(days=self.rng.randint(lo, hi)), END)

    def name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.6 else "")

    def first17(self, born: int) -> str:
        self.serial += 1
        day = dt.date(born, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
        return f"430321{day:%Y%m%d}{self.serial % 1000:03d}"

    def place(self) -> _Place:
        return self.rng.choice(self.places)

    def money(self, lo: int, hi: int) -> str:
        return f"{self.rng.randint(lo, hi)}.00"

    # start -------------------------------------------------------------------------------
    def prelude(self, day: dt.date) -> Iterator[Envelope]:
        """The 14 measures, and per village its branch, first members, secretary, service
        station, 三资 ledger and (communities) service site."""
        f = self.f
        for number, title, lead in MEASURES:
            yield su.measure_registered(
                f, number, title, lead, dt.date(2016, 12, 31), day, group=(number - 1) // 4 + 1
            )
        for p in self.places:
            v = p.village
            yield pa.branch_established(
                f, p.branch_id, f"{v.name}党支部", v.name, day, kind=v.kind, village_code=v.code
            )
            for _ in range(self.rng.randint(4, 8)):
                yield self.join(p, day)
            yield pa.secretary_appointed(f, p.branch_id, p.members[0][0], p.members[0][1], day)
            yield rl.station_designated(f, v.name, v.code, day)
            yield rl.duty_rota(f, v.name, v.code, [n for _, n in p.members[:5]], day)
            for a in range(self.rng.randint(1, 3)):
                yield fu.asset_registered(
                    f,
                    v.name,
                    v.code,
                    f.new_id(),
                    f"{v.code[-3:]}-{a:03d}",
                    "村部用房" if a == 0 else "集体林地",
                    self.money(20_000, 300_000),
                    day,
                )
            if v.kind == "community":
                site = f.new_id()
                yield rl.site_registered(f, site, v.name, f"{v.name}综合服务中心", "520", day)
                yield rl.site_expanded(f, site, "650", self.after(day, 60, 300))
                yield rl.five_unified(
                    f,
                    site,
                    ["signage", "facade", "door_plates", "service_windows", "publicity_boards"],
                    self.after(day, 300, 400),
                )
                yield rl.site_certified(f, site, "650", self.after(day, 400, 500))
        yield from self.governance_prelude(day)

    def join(self, p: _Place, day: dt.date) -> Envelope:
        member_id, name = f"member-{self.f.new_id()}", self.name()
        p.members.append((member_id, name))
        return pa.member_joined(
            self.f,
            member_id,
            p.branch_id,
            name,
            p.village.name,
            make_resident_id(self.first17(self.rng.randint(1945, 1995))).value,
            day,
            membership="probationary" if self.rng.random() < 0.15 else "full",
        )

    # relief ------------------------------------------------------------------------------
    def household(self, day: dt.date) -> Iterator[Envelope]:
        f, r, p = self.f, self.rng, self.place()
        hid, head, digits = f.new_id(), self.name(), self.first17(r.randint(1940, 1990))
        others = [
            (self.name(), self.first17(r.randint(1975, 2012)), rel)
            for rel in r.sample(("配偶", "子女", "父母", "孙子女"), r.randint(0, 3))
        ]
        reg = rl.household_registered(
            f,
            hid,
            p.village.name,
            head,
            digits,
            day,
            causes=r.sample(CAUSES, r.randint(1, 2)),
            income=self.money(1200, 2900),
            others=others,
        )
        yield reg
        self.heads.append((hid, head, str(reg.payload["head_id_number"]), p.village.name))
        when = self.after(day, 2, 20)
        if p.members and r.random() < 0.5:
            member_id, helper = r.choice(p.members)
            yield rl.household_paired(
                f,
                hid,
                helper,
                when,
                kind="member",
                post=None,
                member_id=member_id,
                branch_id=p.branch_id,
            )
        else:
            helper = self.name()
            yield rl.household_paired(f, hid, helper, when)
        yield rl.guarantees_checked(f, hid, self.after(when, 5, 40), housing=r.random() < 0.8)
        measures = [(f.new_id(), proj) for proj in r.sample(sorted(PROJECTS), r.randint(1, 3))]
        for mid, proj in measures:
            yield rl.measure_planned(f, hid, mid, proj, PROJECTS[proj], self.after(when, 5, 40))
        visit = when
        for n in range(r.randint(6, 22)):
            visit = self.after(visit, 20, 45)
            yield rl.household_visited(f, hid, helper, visit, "走访了解情况", visit_id=f.new_id())
            if n == 3:
                for mid, _ in measures:
                    yield rl.measure_completed(f, hid, mid, visit)
                yield rl.income_assessed(f, hid, visit.year, self.money(2500, 6000), visit)
        if r.random() < 0.55:
            yield rl.guarantees_checked(f, hid, visit)
            yield rl.household_exited(
                f, hid, self.after(visit, 1, 30), income=self.money(3100, 6500)
            )
            if r.random() < 0.08:
                yield rl.household_returned(f, hid, self.after(visit, 120, 400))
        f.forget(f"household-{hid}")

    def activity(self, day: dt.date) -> Iterator[Envelope]:
        f, r, v = self.f, self.rng, self.place().village.name
        kind = r.random()
        if kind < 0.45:
            yield rl.posts_provided(
                f,
                v,
                r.randint(1, 5),
                day,
                kind=r.choice(("public_welfare", "employment")),
                people=[self.name() for _ in range(r.randint(0, 3))],
                record_id=f.new_id(),
            )
        elif kind < 0.75:
            yield rl.student_helped(
                f, v, self.name(), day, amount=self.money(500, 3000), record_id=f.new_id()
            )
        elif kind < 0.95:
            yield rl.free_clinic_held(
                f,
                v,
                [f"医生{self.name()}" for _ in range(r.randint(2, 5))],
                r.randint(20, 150),
                day,
                record_id=f.new_id(),
            )
        else:
            yield rl.enterprise_paired(
                f, v, f"湘潭{self.name()}农业公司", day, record_id=f.new_id()
            )

    def project(self, day: dt.date) -> Iterator[Envelope]:
        f, r, p = self.f, self.rng, self.place()
        pid, cat = f.new_id(), r.choice(CATEGORIES)
        yield rl.project_listed(
            f,
            pid,
            f"{p.village.name}{cat}项目",
            cat,
            p.village.name if r.random() < 0.8 else None,
            day,
            lead_unit="镇政府",
            budget=self.money(50_000, 900_000),
            due_on=self.after(day, 120, 400),
        )
        if r.random() < 0.9:
            started = self.after(day, 10, 90)
            yield rl.project_started(f, pid, started)
            if r.random() < 0.8:
                done = self.after(started, 60, 300)
                yield rl.project_accepted(f, pid, done)
                for _ in range(r.randint(0, 3)):
                    done = self.after(done, 60, 200)
                    yield rl.after_care(f, pid, done)
        f.forget(f"project-{pid}")

    def agency(self, day: dt.date) -> Iterator[Envelope]:
        f, r, p = self.f, self.rng, self.place()
        item = f.new_id()
        applicant = self.name()
        yield rl.agency_received(
            f,
            item,
            p.village.name,
            applicant,
            r.choice(("医保报销", "低保申请", "户籍证明", "养老保险")),
            day,
        )
        if r.random() < 0.9:
            yield rl.agency_handled(f, item, self.after(day, 1, 15))
            yield rl.agency_signed_off(f, item, applicant, self.after(day, 16, 20))
        f.forget(f"agency-{item}")

    # funds -------------------------------------------------------------------------------
    def programme(self, day: dt.date) -> Iterator[Envelope]:
        f, r = self.f, self.rng
        pid, standard = f.new_id(), r.choice((500, 1000, 2000, 3000))
        deadline, start = self.after(day, 60, 150), self.after(day, 5, 30)
        places = r.sample(
            self.places, r.randint(min(3, len(self.places)), min(10, len(self.places)))
        )
        yield fu.programme_created(
            f,
            pid,
            f"HN-{day.year}-{pid[:4]}",
            f"{day.year}年到户补助",
            self.money(100_000, 2_000_000),
            day,
            deadline=deadline,
            planned_start=start,
            standard_amount=f"{standard}.00",
        )
        for p in places:
            yield fu.funds_allocated(
                f, pid, p.village.name, self.money(20_000, 200_000), start, allocation_id=f.new_id()
            )
        notice = f.new_id()
        yield fu.notice_opened(f, pid, notice, None, "补助对象公示", start, self.after(start, 7, 7))
        objections = int(r.random() < 0.1)
        if objections:
            yield fu.notice_objection(f, pid, notice, "对象不符合条件", self.after(start, 1, 6))
        yield fu.notice_closed(f, pid, notice, self.after(start, 7, 7), objections=objections)
        yield fu.programme_started(f, pid, self.after(start, 8, 10))
        paid = self.after(start, 10, 20)
        for n in range(r.randint(15, 120)):
            if self.heads and r.random() < 0.8:
                hid, name, id_number, village = r.choice(self.heads)
            else:
                hid, name, village = "", self.name(), self.place().village.name
                id_number = make_resident_id(self.first17(r.randint(1940, 1995))).value
            paid = self.after(paid, 0, 3)
            short = r.random() < 0.03
            amount = f"{standard - 200 if short else standard}.00"
            env = fu.disbursement(
                f,
                pid,
                village,
                name,
                id_number,
                amount,
                paid,
                voucher_no=f"V{n:04d}",
                entitled=f"{standard}.00",
                household_id=hid or None,
                disbursement_id=f.new_id(),
            )
            yield env
            yield fu.beneficiary_paid(f, hashlib.sha256(id_number.encode()).hexdigest()[:32], env)
            if short or (paid > deadline and r.random() < 0.01):
                yield from self.red_flag(pid, village, f"V{n:04d}", paid, 0 if short else 1)
        for _ in range(r.randint(0, 3)):
            yield fu.expenditure(
                f,
                pid,
                self.place().village.name,
                self.money(1_000, 50_000),
                "施工单位",
                self.after(paid, 1, 60),
            )
        if r.random() < 0.2:
            yield fu.programme_changed(f, pid, self.after(paid, 1, 60), approved=r.random() < 0.7)
        f.forget(f"programme-{pid}")

    def red_flag(
        self, pid: str, village: str, voucher: str, day: dt.date, which: int
    ) -> Iterator[Envelope]:
        """A rule's flag; confirmed ones open a clue (measure 14) whose outcome flows back."""
        f, r = self.f, self.rng
        flag, (code, label) = f.new_id(), FLAGS[which]
        summary = f"{label}：凭证{voucher}"
        yield fu.red_flag_raised(
            f,
            flag,
            code,
            label,
            village,
            pid,
            voucher,
            summary,
            day,
            evidence=[("disbursement", voucher)],
        )
        yield fu.red_flag_acknowledged(f, flag, self.after(day, 1, 5))
        if r.random() < 0.4:
            yield fu.red_flag_explained(f, flag, "系核算差错，已补发", self.after(day, 5, 15))
            return
        yield fu.red_flag_confirmed(f, flag, code, village, pid, summary, self.after(day, 5, 20))
        yield from self.clue(self.after(day, 20, 25), red_flag=(flag, code, pid), village=village)

    def assets(self, day: dt.date) -> Iterator[Envelope]:
        f, r, v = self.f, self.rng, self.place().village
        asset, code = f.new_id(), f"{v.code[-3:]}-{r.randint(100, 999)}"
        yield fu.asset_registered(
            f,
            v.name,
            v.code,
            asset,
            code,
            r.choice(("仓库", "鱼塘", "山林")),
            self.money(10_000, 200_000),
            day,
            category=r.choice(("asset", "resource")),
        )
        if r.random() < 0.3:
            proceeds, sold = self.money(10_000, 200_000), self.after(day, 60, 300)
            yield fu.asset_disposed(
                f,
                v.name,
                v.code,
                asset,
                code,
                proceeds,
                sold,
                counterparty="湘潭某公司",
                vote_on=self.after(day, 30, 50),
                filed_on=self.after(day, 51, 59),
            )
            yield fu.proceeds_booked(f, v.name, v.code, asset, proceeds, self.after(sold, 1, 20))

    def collective(self, day: dt.date) -> Iterator[Envelope]:
        f, r, v = self.f, self.rng, self.place().village
        if r.random() < 0.15:
            yield fu.zero_listed(f, v.name, v.code, day.year, day)
            yield fu.zero_leader_assigned(
                f, v.name, v.code, self.name(), "分管经济发展负责人", self.after(day, 5, 20)
            )
            yield fu.village_plan(
                f,
                v.name,
                v.code,
                "一村一策发展光伏",
                self.after(day, 20, 40),
                target_income="50000.00",
                measures=["光伏发电", "土地流转"],
            )
            income, when = self.money(20_000, 80_000), self.after(day, 200, 360)
            yield fu.income_recorded(f, v.name, v.code, when.year, income, when)
            yield fu.zero_cleared(f, v.name, v.code, when.year, income, self.after(when, 1, 20))
        else:
            yield fu.income_recorded(f, v.name, v.code, day.year, self.money(0, 500_000), day)

    def disclosure(self, day: dt.date) -> Iterator[Envelope]:
        v = self.place().village
        period = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        yield fu.finance_disclosed(
            self.f,
            v.name,
            v.code,
            period,
            self.money(10_000, 300_000),
            self.money(10_000, 300_000),
            day,
        )

    # supervision -------------------------------------------------------------------------
    def item(self, day: dt.date) -> Iterator[Envelope]:
        f, r = self.f, self.rng
        item, (measure, title, lead) = f.new_id(), r.choice(MEASURES)
        deadline = self.after(day, 30, 200)
        yield su.item_listed(
            f,
            item,
            f"{title}存在问题",
            measure,
            deadline,
            self.place().village.name if r.random() < 0.7 else None,
            day,
            list_name=r.choice(("问题清单", "责任清单", "整改清单")),
            source=r.choice(("上级点", "自己找", "群众提")),
            lead_post=lead,
        )
        if r.random() < 0.85:
            when = self.after(day, 3, 30)
            yield su.item_started(f, item, when)
            for _ in range(r.randint(0, 3)):
                when = self.after(when, 10, 40)
                yield su.item_noted(f, item, when)
            if r.random() < 0.8:
                yield su.item_rectified(f, item, self.after(when, 5, 60))
                yield su.item_closed(f, item, self.after(when, 61, 90))
                if r.random() < 0.08:
                    yield su.item_reopened(
                        f, item, self.after(when, 91, 150), self.after(when, 151, 240)
                    )
        f.forget(f"item-{item}")

    def petition(self, day: dt.date) -> Iterator[Envelope]:
        f, r = self.f, self.rng
        pet = f.new_id()
        yield su.petition_received(
            f,
            pet,
            self.place().village.name,
            self.name(),
            r.choice(("征地补偿", "工资拖欠", "邻里纠纷", "企业改制安置")),
            day,
            channel=r.choice(("来访", "来信", "网上信访")),
            count=r.randint(1, 5),
        )
        yield su.petition_classified(
            f, pet, r.choice(FOCUS), self.after(day, 1, 5), key_case=r.random() < 0.2
        )
        yield su.petition_team_formed(
            f, pet, "工作专班", [self.name(), self.name()], self.after(day, 5, 10)
        )
        yield su.petition_leader_assigned(f, pet, self.name(), self.after(day, 5, 10))
        when = self.after(day, 10, 20)
        for _ in range(r.randint(0, 3)):
            when = self.after(when, 7, 30)
            yield su.petition_progress(f, pet, when)
        if r.random() < 0.75:
            yield su.petition_resolved(f, pet, self.after(when, 5, 60))
            yield su.petition_closed(f, pet, self.after(when, 61, 90))
            if r.random() < 0.08:
                yield su.petition_reopened(f, pet, self.after(when, 91, 200))
        f.forget(f"petition-{pet}")

    def directive(self, day: dt.date) -> Iterator[Envelope]:
        f, r = self.f, self.rng
        d, due = f.new_id(), self.after(day, 15, 60)
        yield su.directive_received(
            f,
            d,
            "加快推进重点工作",
            day,
            due,
            kind=r.choice(("批示件", "交办事项")),
            level=r.choice(("县", "市", "省")),
        )
        yield su.directive_assigned(
            f, d, r.choice(MEASURES)[2], "党政办", self.after(day, 1, 3), due
        )
        when = self.after(day, 4, 10)
        for _ in range(r.randint(0, 2)):
            when = self.after(when, 5, 15)
            yield su.directive_progress(f, d, when)
        if r.random() < 0.85:
            yield su.directive_reported_back(f, d, self.after(when, 1, 30))
            yield su.directive_completed(f, d, self.after(when, 31, 40))
        f.forget(f"directive-{d}")

    def clue(
        self,
        day: dt.date,
        *,
        red_flag: tuple[str, str, str] | None = None,
        village: str | None = None,
    ) -> Iterator[Envelope]:
        """A clue; when decided, party matches the decision to a member and deducts points."""
        f, r = self.f, self.rng
        clue, p = f.new_id(), self.place()
        member_id, subject = r.choice(p.members) if p.members else (None, self.name())
        measure = 14 if red_flag else r.choice((11, 13))
        yield su.clue_received(
            f,
            clue,
            "雁过拔毛" if measure != 11 else "为官不为",
            measure,
            "群众反映问题",
            village or p.village.name,
            day,
            subject_name=subject,
            subject_post="村干部",
            subject_member_id=member_id,
            red_flag=red_flag,
        )
        verified = self.after(day, 10, 40)
        yield su.clue_verified(f, clue, verified)
        flag_id = red_flag[0] if red_flag else None
        if r.random() < 0.6 and member_id:
            case, decided = f.new_id(), self.after(verified, 10, 30)
            yield su.accountability_decided(
                f,
                clue,
                case,
                subject,
                decided,
                subject_post="村干部",
                subject_member_id=member_id,
                red_flag_id=flag_id,
            )
            yield pa.accountability_matched(f, case, member_id, "诫勉谈话", 10, decided)
            yield pa.points_deducted(
                f, member_id, "ZR02", 10, "受到诫勉谈话", decided, case_id=case
            )
            yield su.clue_concluded(
                f,
                clue,
                "accountability",
                self.after(decided, 1, 10),
                kinds=["诫勉谈话"],
                red_flag_id=flag_id,
            )
            outcome = "accountability"
        else:
            yield su.clue_concluded(
                f, clue, "dismissed", self.after(verified, 10, 30), red_flag_id=flag_id
            )
            outcome = "dismissed"
        if red_flag:
            yield fu.red_flag_outcome(f, red_flag[0], clue, outcome, self.after(verified, 31, 40))
            f.forget(f"redflag-{red_flag[0]}")
        f.forget(f"clue-{clue}")

    # party -------------------------------------------------------------------------------
    def member_year(self, day: dt.date) -> Iterator[Envelope]:
        """A member's points of a year (new members join first), graded at the year's end."""
        f, r, p = self.f, self.rng, self.place()
        if r.random() < 0.25 or not p.members:
            joined = self.join(p, day)
            yield joined
            if joined.payload["membership"] == "probationary":
                yield pa.member_converted(
                    f, str(joined.payload["member_id"]), p.branch_id, 80, self.after(day, 300, 365)
                )
        member_id, _ = r.choice(p.members)
        total, when = 60, day
        for _ in range(r.randint(4, 12)):
            when = self.after(when, 5, 30)
            rule, points, what = r.choice(
                (
                    ("KX01", 1, "参加支部学习"),
                    ("KJ02", 1, "走访贫困户"),
                    ("KJ01", 2, "完成交办任务"),
                    ("PY04", 3, "群众评议满意"),
                )
            )
            total += points
            yield pa.points_awarded(f, member_id, rule, points, what, when, record_id=f.new_id())
        if r.random() < 0.15:
            total -= 3
            yield pa.points_deducted(
                f,
                member_id,
                "KF01",
                3,
                "无故不参加组织生活",
                self.after(when, 1, 10),
                record_id=f.new_id(),
            )
        graded = self.after(when, 10, 30)
        level = ("excellent", "优秀") if total >= 90 else ("qualified", "合格")
        yield pa.member_graded(f, member_id, graded.year, total, *level, graded)
        if r.random() < 0.02:
            yield pa.unqualified_identified(f, member_id, graded.year, 55, graded)
            yield pa.unqualified_talked_to(
                f, member_id, graded.year, "支部书记", self.after(graded, 1, 10)
            )
            yield pa.unqualified_outcome(
                f, member_id, graded.year, "限期改正", self.after(graded, 11, 40)
            )
        if r.random() < 0.01:
            yield pa.degree_enrolled(f, member_id, graded)

    def training(self, day: dt.date) -> Iterator[Envelope]:
        f, r, p = self.f, self.rng, self.place()
        session = f"training-{f.new_id()}"
        if r.random() < 0.8:
            yield pa.training_held(
                f,
                session,
                "branch",
                "all_members",
                f"{day:%Y年%m月}党支部主题党日",
                day,
                [m for m, _ in p.members if r.random() < 0.9],
                branch_id=p.branch_id,
            )
        else:
            level = r.choice(("county", "town"))
            secretaries = [q.members[0][0] for q in self.places if q.members]
            yield pa.training_held(
                f,
                session,
                level,
                "capability",
                "支部书记能力提升",
                day,
                [s for s in secretaries if r.random() < 0.9],
            )

    def assessment(self, day: dt.date) -> Iterator[Envelope]:
        """A half-year assessment: every branch scored and ranked, the bottom two designated
        weak and rectified (first secretary, linked leader, 4 visits, households visited)."""
        f, r = self.f, self.rng
        period = f"{day.year}-H{1 + (day.month > 6)}"
        if period in self.assessed:
            return
        self.assessed.add(period)
        yield pa.assessment_opened(f, period, day)
        scores = sorted(
            ((f"{r.uniform(55, 98):.1f}", p) for p in self.places), key=lambda s: -float(s[0])
        )
        for score, p in scores:
            yield pa.branch_scored(f, period, p.branch_id, score, self.after(day, 5, 20))
        weak = scores[-2:]
        concluded = self.after(day, 21, 30)
        yield pa.assessment_concluded(
            f,
            period,
            [(p.branch_id, s) for s, p in scores],
            [p.branch_id for _, p in weak],
            concluded,
        )
        for score, p in weak:
            rank = scores.index((score, p)) + 1
            yield pa.designated_weak(
                f,
                p.branch_id,
                f"{p.village.name}党支部",
                p.village.name,
                period,
                score,
                rank,
                len(scores),
                concluded,
            )
            yield pa.first_secretary(
                f, p.branch_id, period, self.name(), "县直单位", self.after(concluded, 3, 10)
            )
            yield pa.linked_leader(
                f, p.branch_id, period, self.name(), "镇党委委员", self.after(concluded, 3, 10)
            )
            when = concluded
            for _ in range(4):
                when = self.after(when, 20, 40)
                yield pa.leader_visit(f, p.branch_id, period, "联点领导", when)
            yield pa.household_visits(f, p.branch_id, period, 120, 120, when)
            yield pa.designation_lifted(
                f, p.branch_id, period, period, "85.0", 10, self.after(when, 10, 30)
            )

    def adjustment(self, day: dt.date) -> Iterator[Envelope]:
        f, r, p = self.f, self.rng, self.place()
        adj = f"adjustment-{f.new_id()}"
        yield pa.cadre_information_gathered(
            f, adj, self.name(), "村委委员", p.village.name, ["长期不在岗"], day
        )
        if r.random() < 0.8:
            yield pa.cadre_investigation_voted(f, adj, self.after(day, 10, 30))
            yield pa.cadre_adjustment_decided(f, adj, "免职", self.after(day, 31, 45))
            yield pa.cadre_adjustment_notified(f, adj, "组织委员", self.after(day, 46, 50))
        f.forget(adj)


def county_events(n: int, *, seed: int = 2016, town: str = YISUHE_TOWN_CODE) -> Iterator[Envelope]:
    """`n` envelopes of the county mix, lazily; the same seed gives the same envelopes."""
    return iter(CountyGenerator(n, seed=seed, town=town))
