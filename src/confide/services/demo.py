"""The demo organization: a reproducible population of subjects for the demo and every benchmark.

Same seed and same ``as_of`` date give the same data, byte for byte (ids included).
Names, streets and cities come from Faker's ``en_CA`` and ``fr_CA`` locales,
drawn once into pools and then combined with a seeded ``random.Random`` so a
million subjects generate in minutes with bounded memory: subjects are written
in batches, each batch its own transaction (a bulk load, re-runnable on an empty
store; one audit entry records each batch).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from faker import Faker

from confide.domain.access import Action, Principal
from confide.domain.audit.records import AuditRecord
from confide.domain.consent.events import (
    ChannelOptedOut,
    ConsentEvent,
    ConsentGiven,
    ConsentKind,
    ConsentWithdrawn,
    GpcSignalReceived,
    RelationshipEventRecorded,
    RelationshipKind,
)
from confide.domain.errors import Conflict, ValidationFailed
from confide.domain.ids import new_id
from confide.domain.policy import ConsentMethod, ConsentMode, Policy, Sensitivity
from confide.domain.subjects import (
    Identifier,
    IdentifierKind,
    PersonalInfoRecord,
    Subject,
)
from confide.services.consent import profile_of, refresh_consent_state
from confide.services.context import ServiceContext

# Share of Canada's population by province (Statistics Canada, 2021 census, rounded).
PROVINCE_WEIGHTS: dict[str, float] = {
    "ON": 38.5,
    "QC": 22.6,
    "BC": 13.5,
    "AB": 11.6,
    "MB": 3.6,
    "SK": 3.0,
    "NS": 2.6,
    "NB": 2.1,
    "NL": 1.4,
    "PE": 0.4,
    "NT": 0.1,
    "YT": 0.1,
    "NU": 0.1,
}
# Geographic area codes per province (NANPA), for plausible telephone numbers.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "ON": (
        "416",
        "647",
        "437",
        "905",
        "289",
        "365",
        "613",
        "343",
        "519",
        "226",
        "705",
        "249",
        "807",
    ),
    "QC": ("514", "438", "450", "579", "418", "581", "819", "873"),
    "BC": ("604", "778", "236", "250"),
    "AB": ("403", "587", "780", "825"),
    "MB": ("204", "431"),
    "SK": ("306", "639"),
    "NS": ("902", "782"),
    "NB": ("506",),
    "NL": ("709",),
    "PE": ("902",),
    "NT": ("867",),
    "YT": ("867",),
    "NU": ("867",),
}
FRENCH_SHARE = {"QC": 0.8, "NB": 0.3, "ON": 0.04, "MB": 0.03}
POSTAL_FIRST = {
    "NL": "A",
    "NS": "B",
    "PE": "C",
    "NB": "E",
    "QC": "GHJ",
    "ON": "KLMNP",
    "MB": "R",
    "SK": "S",
    "AB": "T",
    "BC": "V",
    "NT": "X",
    "NU": "X",
    "YT": "Y",
}
POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
BATCH = 5000
DEMO_SYSTEMS = ("crm", "billing", "support")


@dataclass(frozen=True)
class DemoReport:
    subjects: int
    records: int
    events: int
    seed: int
    as_of: date


class _Pools:
    def __init__(self, seed: int) -> None:
        self.first: dict[str, list[str]] = {}
        self.last: dict[str, list[str]] = {}
        self.streets: dict[str, list[str]] = {}
        self.cities: dict[str, list[str]] = {}
        for lang, locale in (("en", "en_CA"), ("fr", "fr_CA")):
            fake = Faker(locale)
            fake.seed_instance(seed)
            self.first[lang] = [fake.first_name() for _ in range(600)]
            self.last[lang] = [fake.last_name() for _ in range(900)]
            self.streets[lang] = [fake.street_name() for _ in range(700)]
            self.cities[lang] = [fake.city() for _ in range(300)]


class DemoGenerator:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def generate(
        self,
        principal: Principal,
        subjects: int,
        seed: int = 42,
        as_of: date | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> DemoReport:
        principal.require(Action.DEMO_GENERATE)
        if not 1 <= subjects <= 20_000_000:
            raise ValidationFailed.single("subjects", "must be between 1 and 20,000,000")
        as_of = as_of or self.ctx.now().date()
        with self.ctx.uow(readonly=True) as uow:
            if uow.subjects.count():
                raise Conflict(
                    "the store already has subjects; generate the demo into an empty database"
                )
        policy = self.ctx.policy
        version = self.ctx.require_active().version_id
        plan = _Plan(policy)
        rng = random.Random(seed)
        pools = _Pools(seed)
        done = records = events = 0
        for batch_no, chunk in enumerate(_chunks(subjects, BATCH)):
            subs: list[Subject] = []
            infos: list[PersonalInfoRecord] = []
            evs: list[ConsentEvent] = []
            for i in chunk:
                s, pi, ev = self._one(i, rng, pools, plan, as_of, version, subs)
                subs.append(s)
                infos.extend(pi)
                evs.extend(ev)
            with self.ctx.uow() as uow:
                uow.subjects.add_many(subs)
                uow.personal_info.add_many(infos)
                uow.consent.add_events(evs, self.ctx.now())
                # The consent read model, computed by the engine from the same rows (issue 4);
                # the store was empty, so once the first batch is in the build is complete.
                ledgers: dict[str, list[ConsentEvent]] = {x.id: [] for x in subs}
                for e in evs:
                    ledgers[e.subject_id].append(e)
                refresh_consent_state(
                    uow,
                    self.ctx.require_active(),
                    [x.id for x in subs],
                    self.ctx.now(),
                    {x.id: (profile_of(x), ledgers[x.id]) for x in subs},
                )
                if batch_no == 0:
                    uow.consent.complete_state_build(version, self.ctx.now())
                uow.audit.record(
                    AuditRecord(
                        "demo.batch_generated",
                        principal.user_id,
                        "demo",
                        f"seed-{seed}-batch-{batch_no}",
                        self.ctx.now(),
                        version,
                        details={
                            "subjects": len(subs),
                            "records": len(infos),
                            "events": len(evs),
                            "first_index": chunk.start,
                        },
                    )
                )
                uow.commit()
            done += len(subs)
            records += len(infos)
            events += len(evs)
            if on_progress:
                on_progress(done)
        return DemoReport(done, records, events, seed, as_of)

    def dry_run(self, subjects: int, seed: int = 42, as_of: date | None = None) -> int:
        """Produce the same subjects as :meth:`generate` without storing them; returns the
        record count (the benchmark's anchor for what the store adds)."""
        as_of = as_of or self.ctx.now().date()
        plan = _Plan(self.ctx.policy)
        rng = random.Random(seed)
        pools = _Pools(seed)
        version = self.ctx.require_active().version_id
        records = 0
        for chunk in _chunks(subjects, BATCH):
            subs: list[Subject] = []
            for i in chunk:
                s, pi, _ = self._one(i, rng, pools, plan, as_of, version, subs)
                subs.append(s)
                records += len(pi)
        return records

    def _one(
        self,
        i: int,
        rng: random.Random,
        pools: _Pools,
        plan: _Plan,
        as_of: date,
        version: str,
        batch: list[Subject],
    ) -> tuple[Subject, list[PersonalInfoRecord], list[ConsentEvent]]:
        r = rng.random()
        province = rng.choices(_PROVINCES, _WEIGHTS)[0]
        lang = "fr" if rng.random() < FRENCH_SHARE.get(province, 0.01) else "en"
        start = datetime.combine(as_of, time(0), UTC) - timedelta(days=3 * 365)
        created = start + timedelta(seconds=rng.randrange(3 * 365 * 86400))
        holder = None
        if r < 0.05 and batch:
            stype, holder = (
                "authorized_user",
                rng.choice([s for s in batch[-50:] if s.subject_type == "customer"] or [None]),
            )
            if holder is None:
                stype = "customer"
        elif r < 0.08:
            stype = "employee"
        else:
            stype = "customer"
        if stype not in plan.subject_types:
            stype = "customer"
        first = rng.choice(pools.first[lang])
        last = rng.choice(pools.last[lang])
        email = f"{_ascii(first)}.{_ascii(last)}.{i}@example.{'ca' if rng.random() < 0.6 else 'com'}".lower()
        codes = AREA_CODES[province]
        # Unique for i < 8,000,000 whatever the area code (exchanges 200-999, lines 0000-9999).
        phone = f"+1{codes[i % len(codes)]}{200 + (i // 10000) % 800:03d}{i % 10000:04d}"
        sid = new_id("sub", created, rng.getrandbits(80))
        idents = [Identifier(IdentifierKind.EMAIL, email), Identifier(IdentifierKind.PHONE, phone)]
        if stype == "employee":
            idents.append(Identifier(IdentifierKind.EMPLOYEE_NUMBER, f"E{i:08d}"))
        else:
            idents.append(Identifier(IdentifierKind.ACCOUNT, f"A{i:09d}"))
        birth = date(as_of.year - rng.randint(16, 90), rng.randint(1, 12), rng.randint(1, 28))
        subject = Subject(
            sid,
            stype,
            province,
            lang,
            created,
            tuple(idents),
            acts_for=holder.id if holder else None,
            external_ref=f"CRM-{i:09d}",
            birth_date=birth,
            display_name=f"{first} {last}",
        )
        values = {
            "name": f"{first} {last}",
            "email": email,
            "telephone_number": phone,
            "mailing_address": self._address(rng, pools, lang, province),
            "billing_records": f"plan {rng.choice(['basic', 'plus', 'max'])}; "
            f"balance {rng.randint(0, 50000) / 100:.2f} CAD",
            "credit_information": f"score {rng.randint(300, 900)} ({rng.choice(['Equifax', 'TransUnion'])})",
            "usage_data": f"{rng.randint(1, 400)} sessions; last device {rng.choice(['web', 'ios', 'android'])}",
            "service_records": f"ticket {rng.randint(10000, 99999)}: {rng.choice(['repair', 'warranty', 'support'])}",
        }
        wanted = ["name", "email", "telephone_number", "mailing_address"]
        if stype == "customer":
            wanted.append("billing_records")
            if rng.random() < 0.2:
                wanted.append("credit_information")
            if rng.random() < 0.5:
                wanted.append("usage_data")
            if rng.random() < 0.15:
                wanted.append("service_records")
        infos = []
        for cat in wanted:
            spec = plan.categories.get(cat)
            if spec is None:
                continue
            purposes, sealed, source = spec
            infos.append(
                PersonalInfoRecord(
                    id=new_id("pi", created, rng.getrandbits(80)),
                    subject_id=sid,
                    category=cat,
                    value=values[cat],
                    source=source,
                    purposes=purposes,
                    system=DEMO_SYSTEMS[i % len(DEMO_SYSTEMS)],
                    country="CA",
                    province=province,
                    collected_at=created,
                    policy_version=version,
                    extra={"sealed": "1"} if sealed else {},
                )
            )
        evs = self._ledger(rng, sid, stype, created, as_of, plan)
        return subject, infos, evs

    @staticmethod
    def _ledger(
        rng: random.Random, sid: str, stype: str, created: datetime, as_of: date, plan: _Plan
    ) -> list[ConsentEvent]:
        """A plausible consent history: relationship events that imply consent, and for some
        subjects express consents, withdrawals, channel opt-outs and GPC signals."""
        end = datetime.combine(as_of, time(0), UTC)
        span = max(int((end - created).total_seconds()), 1)

        def at() -> datetime:
            return created + timedelta(seconds=rng.randrange(span))

        def eid(when: datetime) -> str:
            return new_id("cev", when, rng.getrandbits(80))

        evs: list[ConsentEvent] = [
            RelationshipEventRecorded(eid(created), sid, RelationshipKind.REGISTRATION, created),
            RelationshipEventRecorded(eid(created), sid, RelationshipKind.ADDRESS_GIVEN, created),
        ]
        if stype != "customer":
            return evs
        for kind, count in (
            (RelationshipKind.PURCHASE, rng.choice((0, 1, 1, 2, 3, 5))),
            (RelationshipKind.INQUIRY, rng.choice((0, 0, 1, 2))),
        ):
            for _ in range(count):
                when = at()
                evs.append(RelationshipEventRecorded(eid(when), sid, kind, when))
        if rng.random() < 0.1:
            when = at()
            evs.append(
                RelationshipEventRecorded(eid(when), sid, RelationshipKind.CONTRACT_END, when)
            )
        for purpose, channel, share, method in plan.express_consents:
            if rng.random() >= share:
                continue
            when = at()
            given = ConsentGiven(
                eid(when),
                sid,
                purpose,
                when,
                ConsentKind.EXPRESS,
                method,
                "system:demo",
                plan.version_label,
                "en",
                f"demo-{purpose}",
                channel,
            )
            evs.append(given)
            if rng.random() < 0.12:
                later = when + timedelta(
                    seconds=rng.randrange(max(int((end - when).total_seconds()), 1))
                )
                evs.append(
                    ConsentWithdrawn(eid(later), sid, purpose, later, "system:demo", channel)
                )
        if rng.random() < 0.05 and plan.has_channel("email"):
            when = at()
            evs.append(ChannelOptedOut(eid(when), sid, "email", when))
        if rng.random() < 0.03:
            when = at()
            evs.append(GpcSignalReceived(eid(when), sid, when))
        evs.sort(key=lambda e: e.at)
        return evs

    @staticmethod
    def _address(rng: random.Random, pools: _Pools, lang: str, province: str) -> str:
        first = rng.choice(POSTAL_FIRST[province])
        postal = (
            f"{first}{rng.randint(0, 9)}{rng.choice(POSTAL_LETTERS)} "
            f"{rng.randint(0, 9)}{rng.choice(POSTAL_LETTERS)}{rng.randint(0, 9)}"
        )
        street = rng.choice(pools.streets[lang])
        number = rng.randint(1, 9999)
        city = rng.choice(pools.cities[lang])
        if lang == "fr":
            return f"{number}, rue {street}, {city} ({province}) {postal}"
        return f"{number} {street}, {city}, {province} {postal}"


# Express consents some customers gave: (purpose, channel, share of customers, how).
EXPRESS_CONSENTS: tuple[tuple[str, str | None, float, ConsentMethod], ...] = (
    ("individual_marketing", "email", 0.35, ConsentMethod.CHECKBOX),
    ("individual_marketing", "text_message", 0.12, ConsentMethod.CHECKBOX),
    ("marketing_communications", "email", 0.20, ConsentMethod.CHECKBOX),
    ("individual_marketing", "telemarketing", 0.06, ConsentMethod.VERBAL),
    ("credit_check", None, 0.08, ConsentMethod.SIGNED_DOCUMENT),
)


class _Plan:
    """What the policy lets the demo record: purposes per category, sealing, collection source,
    and the express consents whose purpose and channel the policy has."""

    def __init__(self, policy: Policy) -> None:
        self.version_label = policy.version
        self._channels = {c.id for c in policy.channels}
        self.express_consents = tuple(
            (pid, ch, share, method)
            for pid, ch, share, method in EXPRESS_CONSENTS
            if (p := policy.purpose(pid)) is not None
            and (ch is None or ch in p.channels)
            and method in p.consent_methods
        )
        self.subject_types = {t.id for t in policy.subject_types}
        self._init_categories(policy)

    def has_channel(self, channel: str) -> bool:
        return channel in self._channels

    def _init_categories(self, policy: Policy) -> None:
        sources = [s.id for s in policy.collection_sources]
        direct = next(
            (s for s in sources if not _is_auto(policy, s)),
            sources[0] if sources else "from_individual",
        )
        auto = next((s.id for s in policy.collection_sources if s.automatic), direct)
        self.categories: dict[str, tuple[tuple[str, ...], bool, str]] = {}
        for cat in policy.categories:
            purposes = tuple(
                p.id
                for p in policy.purposes
                if cat.id in p.categories
                and not p.marketing
                and p.consent is not ConsentMode.LEGAL_OBLIGATION
            )
            if purposes:
                self.categories[cat.id] = (
                    purposes,
                    cat.sensitivity is Sensitivity.HIGH,
                    direct if cat.collected_from_individual else auto,
                )


def _is_auto(policy: Policy, source_id: str) -> bool:
    return any(
        s.id == source_id and (s.automatic or s.third_party) for s in policy.collection_sources
    )


_PROVINCES = list(PROVINCE_WEIGHTS)
_WEIGHTS = list(PROVINCE_WEIGHTS.values())
_ASCII = str.maketrans(
    "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ' ", "aaaceeeeiioouuuyoaAAACEEEEIIOOUUUY--"
)


def _ascii(s: str) -> str:
    return "".join(ch for ch in s.translate(_ASCII) if ch.isalnum() or ch == "-")


def _chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))
