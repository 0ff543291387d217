"""The shared invented county: registered residents and registered enterprises.

Several extracts draw from the same people and companies (a worker's employer is a registered
enterprise, a subsidy recipient is often in the household register), so joins across datasets work the
way they would on real data.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from demo import identifiers
from demo.people import STREETS, VILLAGES, Person, PersonFactory, address, pick_township

TRADE_NAME_CHARS = "恒盛鑫源华腾天佑永丰宏达金鹰瑞康新宇海博绿东顺发嘉诚利民长中正泰远亿创聚德凯航晟峰锦荣欣兴隆"
ENTERPRISE_TRADES = {
    "制造业": ("机械", "新材料科技", "电器", "木业", "纺织", "五金制品", "环保设备", "电子科技", "装饰材料"),
    "批发和零售业": ("贸易", "商贸", "建材", "农资"),
    "建筑业": ("建设工程", "建筑装饰工程", "市政工程"),
    "信息传输、软件和信息技术服务业": ("信息技术", "网络科技", "地理信息科技", "软件"),
    "科学研究和技术服务业": ("检测技术", "测绘科技", "生物科技"),
    "租赁和商务服务业": ("企业管理咨询", "人力资源", "会展服务"),
    "交通运输、仓储和邮政业": ("物流", "运输", "出租汽车"),
    "住宿和餐饮业": ("酒店管理", "餐饮管理", "旅游开发"),
}
ENTERPRISE_WEIGHTS = (30, 18, 10, 8, 6, 8, 8, 12)
SHOPS = {
    "批发和零售业": ("便利店", "五金店", "水果店", "服装店", "副食品店"),
    "住宿和餐饮业": ("面馆", "小吃店", "饭店", "民宿"),
    "交通运输、仓储和邮政业": ("出租车客运", "货运服务部"),
    "制造业": ("竹制品加工厂", "服装加工厂"),
    "租赁和商务服务业": ("理发店", "图文广告部"),
}
COOP_PRODUCTS = ("水产", "蔬菜", "茶叶", "果蔬", "稻米", "竹笋", "家禽", "葡萄")
ACTIVE = ("存续", "在业")
USCC_SINCE = date(2015, 10, 1)  # "three certificates in one": codes issued since carry "MA..." organization codes


@dataclass(frozen=True)
class Enterprise:
    uscc: str
    name: str
    kind: str
    legal_rep: Person
    address: str
    township: str
    industry: str
    registered_capital: float
    registered_on: date
    status: str


@dataclass
class World:
    today: date
    scale: float
    factory: PersonFactory
    population: list[Person]
    enterprises: list[Enterprise]

    def rows(self, base: int, minimum: int = 120) -> int:
        """Row count for a dataset whose size at scale 1.0 is `base`."""
        return max(minimum, round(base * self.scale))


def add_months(day: date, months: int) -> date:
    """`day` shifted by whole months, the day clamped to the month's length (31 Oct - 1 month = 30 Sep)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def build_world(today: date, seed: int, scale: float) -> World:
    rng = Random(f"{seed}:world")
    factory = PersonFactory(rng, today)
    world = World(today, scale, factory, [], [])
    world.population = factory.population(world.rows(3000))
    world.enterprises = _enterprises(world, rng, world.rows(1200))
    return world


def _enterprises(world: World, rng: Random, n: int) -> list[Enterprise]:
    adults = [p for p in world.population if 22 <= p.age(world.today) <= 70]
    names: set[str] = set()
    firms = []
    for i in range(n):
        kind = rng.choices(("enterprise", "sole_proprietor", "cooperative"), weights=(60, 35, 5))[0]
        township = pick_township(rng)
        owner = rng.choice(adults) if rng.random() < 0.5 else world.factory.person(22, 70)
        industry, name = _name(rng, kind, township, owner, names)
        registered = world.today if i == 0 else _registered_on(rng, world.today)
        new_style = registered >= USCC_SINCE and rng.random() < 0.9
        age_years = (world.today - registered).days / 365.25
        status = rng.choices(("存续", "在业", "注销", "吊销"), weights=(70, 15, 5 + age_years, 1 + age_years / 3))[0]
        firms.append(
            Enterprise(
                uscc=identifiers.uscc(kind, "330521", rng, new_style),
                name=name,
                kind=kind,
                legal_rep=owner,
                address=_business_address(rng, township, industry),
                township=township,
                industry=industry,
                registered_capital=_capital(rng, kind),
                registered_on=registered,
                status=status,
            )
        )
    return firms


def _name(rng: Random, kind: str, township: str, owner: Person, taken: set[str]) -> tuple[str, str]:
    while True:
        if kind == "enterprise":
            industry = rng.choices(list(ENTERPRISE_TRADES), weights=ENTERPRISE_WEIGHTS)[0]
            trade = "".join(rng.sample(TRADE_NAME_CHARS, 2))
            place = rng.choice(("德清县", "德清", "浙江", "湖州"))
            name = f"{place}{trade}{rng.choice(ENTERPRISE_TRADES[industry])}有限公司"
        elif kind == "sole_proprietor":
            industry = rng.choice(list(SHOPS))
            name = f"德清县{township}{owner.name}{rng.choice(SHOPS[industry])}"
        else:
            industry = "农、林、牧、渔业"
            village = rng.choice(VILLAGES[township])
            name = f"德清县{township}{village}{rng.choice(COOP_PRODUCTS)}专业合作社"
        if name not in taken:
            taken.add(name)
            return industry, name


def _business_address(rng: Random, township: str, industry: str) -> str:
    if industry == "制造业" and rng.random() < 0.6:
        return f"浙江省湖州市德清县{township}工业园区{rng.choice(STREETS[township])}{rng.randint(1, 999)}号"
    if industry == "农、林、牧、渔业":
        return address(rng, township, rural=True)
    return f"浙江省湖州市德清县{township}{rng.choice(STREETS[township])}{rng.randint(1, 888)}号"


def _capital(rng: Random, kind: str) -> float:
    if kind == "enterprise":
        amounts, weights = (10, 50, 100, 200, 300, 500, 1000, 2000, 5000), (8, 14, 20, 12, 8, 14, 12, 6, 3)
        return float(rng.choices(amounts, weights=weights)[0])
    if kind == "sole_proprietor":
        return float(rng.choice((0.5, 1, 2, 3, 5, 10, 20, 50)))
    return float(rng.choice((10, 20, 50, 100, 200)))


def _registered_on(rng: Random, today: date) -> date:
    """Registration dates skewed to recent years (mean age six years, none older than 30)."""
    while (days := int(rng.expovariate(1 / (6 * 365)))) > 30 * 365:
        pass
    return today - timedelta(days=days)
