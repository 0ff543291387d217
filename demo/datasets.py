"""Row builders, one per demo dataset: each returns rows keyed by catalog column name.

Headers, column order, types, format and the defect plan come from the catalog and `demo.defects`;
only the values are made here, because what a vaccination record looks like is per-dataset knowledge.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from random import Random

from demo import identifiers
from demo.defects import OVERDUE_MONTHS
from demo.people import Person, PersonFactory, address, pick_township
from demo.world import ACTIVE, World, add_months
from reference.divisions import deqing_townships

Row = dict[str, object]
TOWNSHIPS = tuple(t.name for t in deqing_townships())


def scjg_enterprise(world: World, rng: Random) -> list[Row]:
    return [
        {
            "uscc": e.uscc,
            "name": e.name,
            "legal_rep": e.legal_rep.name,
            "legal_rep_id": e.legal_rep.resident_id,
            "address": e.address,
            "township": e.township,
            "industry": e.industry,
            "registered_capital": e.registered_capital,
            "registered_on": e.registered_on,
            "status": e.status,
        }
        for e in sorted(world.enterprises, key=lambda e: (e.registered_on, e.uscc))
    ]


INSURANCE_RATES = {"企业职工基本养老保险": 0.08, "职工基本医疗保险": 0.02, "失业保险": 0.005, "工伤保险": 0.0}


def rsj_social_insurance(world: World, rng: Random) -> list[Row]:
    """One month of individual contributions: three or four insurance types per insured worker."""
    n, today = world.rows(3000), world.today
    employers = [e for e in world.enterprises if e.kind == "enterprise" and e.status in ACTIVE]
    weights = [math.sqrt(e.registered_capital) for e in employers]
    locals_ = [p for p in world.population if 18 <= p.age(today) <= 60]
    rng.shuffle(locals_)
    factory = world.factory.fork(rng)
    rows: list[Row] = []
    while len(rows) < n:
        worker = locals_.pop() if locals_ and rng.random() < 0.55 else factory.migrant(18, 58)
        employer = rng.choices(employers, weights=weights)[0]
        base = float(min(max(round(rng.lognormvariate(8.8, 0.4), -1), 4800), 36000))
        paid_on = today - timedelta(days=rng.randint(1, 27))
        card = identifiers.bank_card(rng) if rng.random() < 0.92 else None
        mobile = worker.mobile if rng.random() < 0.95 else None
        types = list(INSURANCE_RATES)[: 4 if rng.random() < 0.3 else 3]
        for insurance in types:
            rows.append(
                {
                    "resident_id": worker.resident_id,
                    "name": worker.name,
                    "mobile": mobile,
                    "bank_card": card,
                    "employer_uscc": employer.uscc,
                    "employer_name": employer.name,
                    "insurance_type": insurance,
                    "period": f"{paid_on:%Y%m}",
                    "contribution_base": base,
                    "amount": round(base * INSURANCE_RATES[insurance], 2),
                    "paid_on": paid_on,
                }
            )
    return rows


# (vaccine, dose, age in months) of the national immunization schedule, plus Zhejiang's varicella doses.
CHILD_SCHEDULE = (
    ("乙肝疫苗", 1, 0), ("卡介苗", 1, 0), ("乙肝疫苗", 2, 1), ("脊灰疫苗", 1, 2), ("脊灰疫苗", 2, 3),
    ("百白破疫苗", 1, 3), ("脊灰疫苗", 3, 4), ("百白破疫苗", 2, 4), ("百白破疫苗", 3, 5), ("乙肝疫苗", 3, 6),
    ("A群流脑多糖疫苗", 1, 6), ("麻腮风疫苗", 1, 8), ("乙脑减毒活疫苗", 1, 8), ("A群流脑多糖疫苗", 2, 9),
    ("水痘疫苗", 1, 12), ("百白破疫苗", 4, 18), ("麻腮风疫苗", 2, 18), ("甲肝减毒活疫苗", 1, 18),
    ("乙脑减毒活疫苗", 2, 24), ("A群C群流脑多糖疫苗", 1, 36), ("脊灰疫苗", 4, 48), ("水痘疫苗", 2, 48),
    ("A群C群流脑多糖疫苗", 2, 72), ("白破疫苗", 1, 72),
)  # fmt: skip
ADULT_VACCINES = (("流感疫苗", 1, 3, 90, 60), ("23价肺炎球菌多糖疫苗", 1, 60, 90, 10), ("带状疱疹疫苗", 2, 50, 85, 10))
REMARKS_MINOR = (
    "家长{guardian}陪同，联系电话{phone}",
    "受种者母亲{guardian}（{phone}）代签知情同意书",
    "预防接种证遗失补办，监护人{guardian}，身份证号{guardian_id}",
    "既往对鸡蛋过敏，已告知家长{guardian}留观30分钟",
    "上次接种后低热，本次由{guardian}陪同，电话随访{phone}",
    "外地转入，现住{address}",
)
REMARKS_ADULT = (
    "本人自述无禁忌症，联系电话{phone}",
    "由女儿{guardian}陪同，手机{phone}",
    "高血压病史，血压已控制，{name}本人签字",
    "留观30分钟无异常",
    "社区统一组织接种，住址{address}",
)


def wjj_vaccination(world: World, rng: Random) -> list[Row]:
    """Three days of doses given at the county's township health centres (November: the flu season)."""
    n, today = world.rows(2000), world.today
    factory = world.factory.fork(rng)
    residents = list(world.population)
    rng.shuffle(residents)
    lots: dict[str, list[str]] = {}
    rows: list[Row] = []
    for _ in range(n):
        day = today - timedelta(days=rng.randint(0, 2))
        kind = rng.random()
        if kind < 0.45:
            vaccine, dose, months = rng.choice(CHILD_SCHEDULE)
            born = day - timedelta(days=int(months * 30.44) + rng.randint(0, 20))
            subject = factory.person(0, 0, born=born, region=factory.region(0.8))
            township = pick_township(rng)
        else:
            vaccine, doses, low, high, _ = rng.choices(ADULT_VACCINES, weights=[v[4] for v in ADULT_VACCINES])[0]
            if kind < 0.52:
                vaccine, doses, low, high = "HPV疫苗", 2, 9, 14
            dose = rng.randint(1, doses)
            subject, township = _resident_or_new(residents, factory, low, high, today, rng, female=vaccine == "HPV疫苗")
        lot = rng.choice(lots.setdefault(vaccine, [_lot(rng, today) for _ in range(3)]))
        rows.append(
            {
                "record_id": None,
                "resident_id": subject.resident_id,
                "name": subject.name,
                "birth_date": subject.born,
                "sex": subject.sex,
                "vaccine": vaccine,
                "dose": dose,
                "lot_no": lot,
                "vaccinated_on": day,
                "site": f"德清县{township}{'社区卫生服务中心' if '街道' in township else '卫生院'}",
                "township": township,
                "remarks": _remark(rng, subject, township, today),
            }
        )
    rows.sort(key=lambda r: (r["vaccinated_on"], TOWNSHIPS.index(str(r["township"]))))
    for seq, row in enumerate(rows, start=1):
        row["record_id"] = f"JZ{row['vaccinated_on']:%Y%m%d}{seq:06d}"
    return rows


def _resident_or_new(
    residents: list[Person], factory: PersonFactory, low: int, high: int, today: date, rng: Random, female: bool
) -> tuple[Person, str]:
    """A registered resident of the right age when one is left, else someone new (often from elsewhere)."""
    if rng.random() < 0.5:
        for i in range(len(residents) - 1, max(len(residents) - 200, -1), -1):
            p = residents[i]
            if low <= p.age(today) <= high and not (female and p.male):
                residents.pop(i)
                return p, p.township
    person = factory.person(low, high + 0.99, male=False if female else None, region=factory.region(0.6))
    return person, pick_township(rng)


def _lot(rng: Random, today: date) -> str:
    made = add_months(today, -rng.randint(3, 14))
    return f"{made:%Y%m}{rng.choice('ABCDE')}{rng.randint(1, 120):03d}"


def _remark(rng: Random, subject: Person, township: str, today: date) -> str | None:
    if rng.random() < 0.6:
        return None
    minor = subject.age(today) < 18
    family = subject.name[:1]
    guardian = (
        family + rng.choice("芳敏静丽娟燕玲建国伟强明华") + (rng.choice("英华平军红") if rng.random() < 0.5 else "")
    )
    template = rng.choice(REMARKS_MINOR if minor else REMARKS_ADULT)
    parent_born = subject.born - timedelta(days=rng.randint(9000, 13000))
    return template.format(
        guardian=guardian,
        phone=identifiers.mobile(rng),
        guardian_id=identifiers.resident_id("330521", parent_born, False, rng),
        address=address(rng, township),
        name=subject.name,
    )


SUBSIDY_STANDARD = 1300.0  # yuan per person per month (illustrative county minimum living standard)


def mzj_subsidy(world: World, rng: Random) -> list[Row]:
    """The assistance roster as last sent: its newest approval is months old (the overdue dataset)."""
    n, today = world.rows(600), world.today
    newest = add_months(today, -OVERDUE_MONTHS["dq_mzj_subsidy"])
    factory = world.factory.fork(rng)
    heads = [p for p in world.population if p.relation == "户主" or p.age(today) >= 60]
    rng.shuffle(heads)
    rows: list[Row] = []
    while len(rows) < n:
        if heads and rng.random() < 0.4:
            person = heads.pop()
        else:
            township = pick_township(rng)
            person = replace(
                factory.person(18, 92, region=factory.region(0.9)), township=township, address=address(rng, township)
            )
        old = person.age(today) >= 60
        kind = rng.choices(("低保", "特困", "临时救助"), weights=(60, 25 if old else 3, 25))[0]
        rows.append(_subsidy_row(rng, person, kind, newest))
        if kind == "低保" and rng.random() < 0.06:
            rows.append(_subsidy_row(rng, person, "临时救助", newest))
    rows[rng.randrange(len(rows))]["approved_on"] = newest
    for row in rows:
        month = row["approved_on"].replace(day=1)  # type: ignore[union-attr]
        row["start_month"] = month if row["subsidy_type"] == "临时救助" else add_months(month, 1)
    return rows


def _subsidy_row(rng: Random, person: Person, kind: str, newest: date) -> Row:
    if kind == "低保":
        size = rng.choices((1, 2, 3, 4, 5), weights=(35, 30, 20, 10, 5))[0]
        amount = round(size * SUBSIDY_STANDARD * rng.uniform(0.35, 1.0))
        approved = newest - timedelta(days=rng.randint(0, 8 * 365))
    elif kind == "特困":
        size, amount = 1, round(SUBSIDY_STANDARD * 1.3 + rng.choice((0, 300, 600, 900)))
        approved = newest - timedelta(days=rng.randint(0, 12 * 365))
    else:
        size = rng.randint(1, 6)
        amount = rng.choice((500, 800, 1000, 1500, 2000, 3000, 5000, 8000))
        approved = newest - timedelta(days=rng.randint(0, 300))
    return {
        "resident_id": person.resident_id,
        "name": person.name,
        "address": person.address,
        "township": person.township,
        "subsidy_type": kind,
        "family_size": size,
        "monthly_amount": float(amount),
        "start_month": None,
        "approved_on": approved,
    }


HOURLY_DEMAND = (2, 1, 1, 1, 1, 2, 4, 8, 9, 6, 5, 6, 6, 5, 5, 6, 7, 9, 9, 7, 6, 5, 4, 3)
URBAN_WEIGHTS = {"武康街道": 30, "舞阳街道": 14, "阜溪街道": 12, "康乾街道": 6, "下渚湖街道": 5, "新市镇": 8}


def jtj_taxi_trips(world: World, rng: Random) -> list[Row]:
    """Yesterday's metered trips of the county's taxi fleet (about 16 trips per cab)."""
    n, day = world.rows(4000), world.today - timedelta(days=1)
    factory = world.factory.fork(rng)
    drivers_pool = [p for p in world.population if 25 <= p.age(world.today) <= 60 and p.male]
    fleet = []
    for _ in range(max(8, n // 16)):
        cab = identifiers.plate(rng, new_energy=rng.random() < 0.65)
        day_driver = rng.choice(drivers_pool) if drivers_pool and rng.random() < 0.6 else factory.migrant(25, 60)
        night_driver = factory.migrant(25, 60, male=True) if rng.random() < 0.5 else day_driver
        fleet.append((cab, day_driver, night_driver))
    weights = [URBAN_WEIGHTS.get(t, 2) for t in TOWNSHIPS]
    trips = []
    for _ in range(n):
        hour = rng.choices(range(24), weights=HOURLY_DEMAND)[0]
        pickup = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        cab, day_driver, night_driver = rng.choice(fleet)
        driver = day_driver if 6 <= hour < 18 else night_driver
        origin = rng.choices(TOWNSHIPS, weights=weights)[0]
        r = rng.random()
        destination = origin if r < 0.55 else ("县外" if r > 0.95 else rng.choices(TOWNSHIPS, weights=weights)[0])
        distance = round(rng.uniform(1.2, 7) if destination == origin else rng.uniform(25, 75) if destination == "县外"
                         else rng.uniform(5, 32), 1)  # fmt: skip
        minutes = distance / rng.uniform(22, 45) * 60 + rng.randint(1, 5)
        trips.append(
            {
                "trip_id": None,
                "plate": cab,
                "driver_mobile": driver.mobile,
                "pickup_at": pickup,
                "dropoff_at": pickup + timedelta(seconds=round(minutes * 60)),
                "pickup_township": origin,
                "dropoff_township": destination,
                "distance_km": distance,
                "fare": _fare(distance, hour),
            }
        )
    trips.sort(key=lambda t: (t["pickup_at"], t["plate"]))
    for seq, trip in enumerate(trips, start=1):
        trip["trip_id"] = f"DQCZ{day:%Y%m%d}{seq:06d}"
    return trips


def _fare(distance: float, hour: int) -> float:
    """Flag fall 10 yuan for 3 km, 2.4 yuan/km after, +50 % beyond 10 km, +20 % at night (22-5 h)."""
    fare = 10 + max(distance - 3, 0) * 2.4 + max(distance - 10, 0) * 1.2
    return float(math.floor(fare * (1.2 if hour >= 22 or hour < 5 else 1.0) + 0.5))


def gaj_household(world: World, rng: Random) -> list[Row]:
    today = world.today
    rows = [
        {
            "resident_id": p.resident_id,
            "name": p.name,
            "sex": p.sex,
            "ethnicity": p.ethnicity,
            "birth_date": p.born,
            "address": p.address,
            "township": p.township,
            "household_no": p.household_no,
            "relation": p.relation,
            "updated_on": p.updated_on,
        }
        for p in world.population
    ]
    if max(r["updated_on"] for r in rows) < today - timedelta(days=20):  # type: ignore[operator]
        rows[-1]["updated_on"] = today - timedelta(days=rng.randint(1, 10))
    return rows


# (right type, parcel feature code, land uses, natures, area range in m²)
PARCEL_KINDS = (
    ("国有建设用地使用权", "GB", ("商服用地", "工矿仓储用地", "住宅用地", "公共管理与公共服务用地", "交通运输用地"),
     ("出让", "出让", "出让", "划拨"), (300, 120000), 30),
    ("集体建设用地使用权", "JB", ("工矿仓储用地", "商服用地"), ("出让", "租赁", "作价出资（入股）"), (500, 40000), 8),
    ("宅基地使用权", "JC", ("住宅用地",), ("集体土地",), (80, 260), 40),
    ("土地承包经营权", "JD", ("耕地", "园地", "林地", "草地"), ("家庭承包",), (600, 30000), 17),
    ("集体土地所有权", "JA", ("耕地", "林地", "水域及水利设施用地", "其他土地", "特殊用地"), ("集体土地",),
     (50000, 1500000), 5),
)  # fmt: skip


def zrzyj_land_parcels(world: World, rng: Random) -> list[Row]:
    """Registered parcels with GB/T 26787 codes: county, cadastral district and subdistrict, kind, number."""
    n, today = world.rows(1500), world.today
    serials: dict[str, int] = {}
    rows: list[Row] = []
    for i in range(n):
        township = rng.choice(deqing_townships())
        kind = rng.choices(PARCEL_KINDS, weights=[k[5] for k in PARCEL_KINDS])[0]
        right, feature, uses, natures, (low, high), _ = kind
        prefix = f"{township.code}{rng.randint(1, 25):03d}{feature}"
        serials[prefix] = serials.get(prefix, 0) + rng.randint(1, 40)
        registered = today - timedelta(days=rng.randint(3, 60) if i == 0 else rng.randint(3, 3600))
        rows.append(
            {
                "parcel_code": f"{prefix}{serials[prefix]:05d}",
                "township": township.name,
                "land_use": rng.choice(uses),
                "area_m2": round(math.exp(rng.uniform(math.log(low), math.log(high))), 2),
                "right_type": right,
                "right_nature": rng.choice(natures),
                "registered_on": registered,
            }
        )
    return sorted(rows, key=lambda r: str(r["parcel_code"]))


# Monthly mean temperature (°C) near Deqing, January to December.
MONTHLY_MEAN = (4.5, 6.5, 10.5, 16.5, 21.5, 25.0, 29.0, 28.5, 24.5, 19.0, 13.0, 6.5)


def qxj_weather(world: World, rng: Random) -> list[Row]:
    """Hourly observations of one automatic station per township, ending at midnight of `today`."""
    hours = max(24, round(48 * world.scale))
    end = datetime.combine(world.today, time(0))
    rain = {h for h in range(hours) if math.sin(h / 7.0 + rng.uniform(0, 6)) > 0.85}
    rows: list[Row] = []
    for idx, township in enumerate(TOWNSHIPS, start=1):
        offset = -3.0 if township == "莫干山镇" else rng.uniform(-0.6, 0.6)
        for h in range(hours):
            at = end - timedelta(hours=hours - 1 - h)
            diurnal = -4.5 * math.cos((at.hour - 3) / 24 * 2 * math.pi)  # coolest near 3 h, warmest near 15 h
            temp = MONTHLY_MEAN[at.month - 1] + offset + diurnal + rng.gauss(0, 0.6)
            wet = h in rain
            rows.append(
                {
                    "station_id": f"K85{idx:02d}",
                    "station_name": township,
                    "observed_at": at,
                    "temperature": round(temp - (1.5 if wet else 0), 1),
                    "precipitation": round(rng.expovariate(1 / 1.8), 1) if wet else 0.0,
                    "humidity": min(100, round(rng.uniform(86, 98) if wet else 75 - diurnal * 3 + rng.gauss(0, 4))),
                    "wind_speed": round(max(0.0, rng.gauss(3.5 if township == "莫干山镇" else 2.0, 0.8)), 1),
                }
            )
    return rows


@dataclass(frozen=True)
class Spec:
    """How a dataset's extract is made: its rows, the CSV encoding and the column a resend changes."""

    build: Callable[[World, Random], list[Row]]
    encoding: str = "utf-8"
    resend_changes: str = ""


# Building order matters only for determinism (IDs stay unique across datasets); it never changes.
SPECS: dict[str, Spec] = {
    "dq_scjg_enterprise": Spec(scjg_enterprise, "utf-8", resend_changes="status"),
    "dq_rsj_social_insurance": Spec(rsj_social_insurance, resend_changes="amount"),
    "dq_wjj_vaccination": Spec(wjj_vaccination, "utf-8-sig"),
    "dq_mzj_subsidy": Spec(mzj_subsidy, "gb18030"),
    "dq_jtj_taxi_trips": Spec(jtj_taxi_trips),
    "dq_gaj_household": Spec(gaj_household),
    "dq_zrzyj_land_parcels": Spec(zrzyj_land_parcels, "utf-8-sig"),
    "dq_qxj_weather": Spec(qxj_weather, "gb18030"),
}
