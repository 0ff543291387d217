"""Invented residents of Deqing: names, addresses, households and people from elsewhere.

A `PersonFactory` hands out unique resident IDs whose birth date and sex agree with the person, so that
the `出生日期` and `性别` columns of an extract always match the ID number.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date, timedelta
from random import Random

from demo import identifiers
from reference.divisions import DEQING_COUNTY_CODE, deqing_townships, divisions

# Frequent surnames (Zhejiang has many 沈, 徐, 钱, 陆, 俞, 姚), repeated by rough frequency, and compound ones.
SURNAMES = (
    "王李张刘陈" * 6
    + "杨黄赵吴周徐孙沈朱胡" * 4
    + "马郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任姚卢姜钟陆汪范金钱俞" * 2
    + "石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯史陶贺顾毛郝龚邵万严戴莫孔汤费倪闵计施褚章"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "司徒", "皇甫", "东方", "慕容")
MALE_GIVEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国峰晨志文博海东春忠良荣德新立永兴康毅诚"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲婷雪慧莹琳洁颖倩悦欣怡佳萍红梅兰琴英月云蕾晶薇雯秀珍凤菊彤瑶嘉露"
NEUTRAL_GIVEN = "子一晓思雨梓诗文心安家佳若嘉可宇欣明"

# Township weights: the urban streets of Wukang hold most of the population.
TOWNSHIP_WEIGHTS = {
    "武康街道": 14, "舞阳街道": 9, "阜溪街道": 8, "下渚湖街道": 5, "康乾街道": 5, "乾元镇": 8, "新市镇": 10,
    "洛舍镇": 3, "钟管镇": 6, "雷甸镇": 5, "禹越镇": 4, "新安镇": 5, "莫干山镇": 5,
}  # fmt: skip
# Illustrative street and village names per township (plausible, not a survey of real addresses).
STREETS = {
    "武康街道": ("英溪北路", "英溪南路", "永安街", "千秋街", "武源街", "北湖西街", "余英坊路"),
    "舞阳街道": ("舞阳街", "塔山街", "长虹东街", "兴康路", "秋山路"),
    "阜溪街道": ("阜溪路", "志远北路", "科源路", "云岫南路", "双山路"),
    "下渚湖街道": ("下渚湖路", "湖滨路", "二都路"),
    "康乾街道": ("康乾路", "乾龙路", "城东路"),
    "乾元镇": ("直街", "北门街", "环城北路", "乾元路"),
    "新市镇": ("新市北路", "西河口", "南昌街", "觉海寺路"),
    "洛舍镇": ("洛舍路", "东衡路"),
    "钟管镇": ("钟管路", "工业大道"),
    "雷甸镇": ("雷甸路", "杨墩路"),
    "禹越镇": ("禹越路", "三林路"),
    "新安镇": ("新安路", "勇建路"),
    "莫干山镇": ("莫干山路", "庾村路", "劳岭路"),
}
VILLAGES = {
    "武康街道": ("上柏村", "城西村", "五龙村"),
    "舞阳街道": ("塔山村", "城山村", "三桥村"),
    "阜溪街道": ("五四村", "郭肇村", "龙山村"),
    "下渚湖街道": ("二都村", "和睦村", "八字桥村"),
    "康乾街道": ("城东村", "三林桥村", "沿河村"),
    "乾元镇": ("联合村", "明星村", "金火村"),
    "新市镇": ("蔡界村", "新联村", "梅林村", "宋市村"),
    "洛舍镇": ("东衡村", "砂村村", "张陆湾村"),
    "钟管镇": ("干山村", "沈家墩村", "南舍村"),
    "雷甸镇": ("杨墩村", "洋北村", "东新村"),
    "禹越镇": ("三林村", "高桥村", "西港村"),
    "新安镇": ("勇建村", "下舍村", "百富兜村"),
    "莫干山镇": ("仙潭村", "劳岭村", "何村村", "燎原村", "后坞村"),
}
ADDRESS_PREFIX = "浙江省湖州市德清县"
ETHNICITIES = ("汉族",) * 96 + ("畲族", "畲族", "回族", "满族", "苗族", "土家族", "壮族", "彝族", "布依族", "侗族")


@dataclass(frozen=True)
class Person:
    resident_id: str
    name: str
    male: bool
    born: date
    mobile: str
    township: str = ""
    address: str = ""
    ethnicity: str = "汉族"
    household_no: str = ""
    relation: str = ""
    updated_on: date | None = None

    @property
    def sex(self) -> str:
        return "男" if self.male else "女"

    def age(self, today: date) -> int:
        return today.year - self.born.year - ((today.month, today.day) < (self.born.month, self.born.day))


def pick_township(rng: Random) -> str:
    names = list(TOWNSHIP_WEIGHTS)
    return rng.choices(names, weights=[TOWNSHIP_WEIGHTS[n] for n in names])[0]


def surname(rng: Random) -> str:
    return rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.012 else rng.choice(SURNAMES)


def given_name(rng: Random, male: bool) -> str:
    pool = (MALE_GIVEN if male else FEMALE_GIVEN) + NEUTRAL_GIVEN
    return rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)


def full_name(rng: Random, male: bool, family: str | None = None) -> str:
    return (family or surname(rng)) + given_name(rng, male)


def address(rng: Random, township: str, rural: bool | None = None) -> str:
    """A home address in `township`: a street number (often with a flat) or a village group."""
    rural = rng.random() < (0.2 if "街道" in township else 0.6) if rural is None else rural
    prefix = ADDRESS_PREFIX if rng.random() < 0.85 else "德清县"
    if rural:
        return f"{prefix}{township}{rng.choice(VILLAGES[township])}{rng.randint(1, 18)}组{rng.randint(1, 120)}号"
    place = f"{prefix}{township}{rng.choice(STREETS[township])}{rng.randint(1, 688)}号"
    if rng.random() < 0.5:
        place += f"{rng.randint(1, 30)}幢{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
    return place


class PersonFactory:
    """Makes people with unique resident IDs, birth places weighted towards Deqing."""

    def __init__(self, rng: Random, today: date):
        self.rng, self.today, self._ids = rng, today, set()
        counties = [d.code for d in divisions() if d.level == "county"]
        self._zhejiang = [c for c in counties if c.startswith("33") and c != DEQING_COUNTY_CODE]
        self._elsewhere = [c for c in counties if c[:2] in ("34", "41", "51", "36", "42", "43", "45", "52", "32")]

    def fork(self, rng: Random) -> PersonFactory:
        """The same factory (IDs stay unique across datasets) drawing from another random stream."""
        forked = copy.copy(self)
        forked.rng = rng
        return forked

    def region(self, local_share: float = 0.85) -> str:
        r = self.rng.random()
        if r < local_share:
            return DEQING_COUNTY_CODE
        if r < local_share + (1 - local_share) / 2:
            return self.rng.choice(self._zhejiang)
        return self.rng.choice(self._elsewhere)

    def birth_date(self, min_age: float, max_age: float) -> date:
        days = self.rng.randint(int(min_age * 365.25), int(max_age * 365.25))
        return self.today - timedelta(days=days)

    def person(
        self,
        min_age: float,
        max_age: float,
        *,
        male: bool | None = None,
        family: str | None = None,
        region: str | None = None,
        born: date | None = None,
    ) -> Person:
        rng = self.rng
        male = rng.random() < 0.5 if male is None else male
        born = born or self.birth_date(min_age, max_age)
        region = region or self.region()
        while (rid := identifiers.resident_id(region, born, male, rng)) in self._ids:
            pass
        self._ids.add(rid)
        return Person(rid, full_name(rng, male, family), male, born, identifiers.mobile(rng))

    def migrant(self, min_age: float, max_age: float, **kwargs) -> Person:
        """Someone born and registered outside Deqing (a worker, a driver, a migrant's child)."""
        return self.person(min_age, max_age, region=self.region(local_share=0.0), **kwargs)

    def population(self, size: int) -> list[Person]:
        """Registered residents in households: head, spouse, children, sometimes parents and grandchildren."""
        rng, people, serial = self.rng, [], 0
        while len(people) < size:
            serial += 1
            township = pick_township(rng)
            code = next(t.code for t in deqing_townships() if t.name == township)
            household = {
                "township": township,
                "address": address(rng, township),
                "household_no": f"{code[-3:]}{serial:06d}",
            }
            people += [replace(p, **household) for p in self._household(rng)]
        return people[:size]

    def _household(self, rng: Random) -> list[Person]:
        head_male = rng.random() < 0.75
        head = self.person(24, 85, male=head_male)
        family = head.name[: 2 if head.name[:2] in COMPOUND_SURNAMES else 1]
        members = [self._registered(head, "户主")]
        age = head.age(self.today)
        if rng.random() < 0.85:
            spouse_age = min(max(age + rng.randint(-6, 4) * (1 if head_male else -1), 20), 95)
            spouse = self.person(spouse_age, spouse_age + 0.99, male=not head_male, region=self.region(0.7))
            members.append(self._registered(spouse, "配偶"))
        father_of_children = head_male
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if age >= 22 else 0):
            child_age = age - rng.randint(22, 38)
            if child_age < 0:
                continue
            male = rng.random() < 0.52
            child = self.person(child_age, child_age + 0.99, male=male, family=family if father_of_children else None)
            members.append(self._registered(child, "子" if male else "女"))
            if child_age > 26 and rng.random() < 0.3:
                grandchild_age = child_age - rng.randint(22, 34)
                if grandchild_age >= 0:
                    gmale = rng.random() < 0.52
                    grandchild = self.person(grandchild_age, grandchild_age + 0.99, male=gmale, family=family)
                    members.append(self._registered(grandchild, "孙子" if gmale else "孙女"))
        if age < 60 and rng.random() < 0.15:
            parent_age = age + rng.randint(22, 35)
            if parent_age <= 98:
                pmale = rng.random() < 0.5
                parent = self.person(parent_age, parent_age + 0.99, male=pmale, family=family if pmale else None)
                members.append(self._registered(parent, "父亲" if pmale else "母亲"))
        return members

    def _registered(self, person: Person, relation: str) -> Person:
        """Household-register fields: ethnicity, relation and the date of the last change of the entry."""
        rng = self.rng
        start = max(person.born, date(1998, 1, 1))
        if rng.random() < 0.03:  # recent births, moves and corrections keep the snapshot fresh
            start = max(start, self.today - timedelta(days=25))
        updated = start + timedelta(days=rng.randint(0, max((self.today - timedelta(days=1) - start).days, 0)))
        return replace(person, ethnicity=rng.choice(ETHNICITIES), relation=relation, updated_on=updated)
