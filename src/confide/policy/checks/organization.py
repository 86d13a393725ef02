"""The policy's identity and publication hold together (CMP-3, POL-2)."""

from __future__ import annotations

from collections.abc import Iterator

from confide.policy.checks.base import CheckContext, Finding

#: Canadian provinces and territories (ISO 3166-2:CA subdivision codes).
PROVINCES: frozenset[str] = frozenset(
    {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
)


def organization_identity(ctx: CheckContext) -> Iterator[Finding]:
    organization = ctx.main.organization
    source = ctx.main_source
    if organization.home_province not in PROVINCES:
        yield Finding(
            (source, ("organization", "home_province")),
            f"organization.home_province '{organization.home_province}' is not a Canadian "
            "province or territory",
            "use a two-letter code such as QC or ON (quote ON: YAML reads it as true)",
        )
    for index, jurisdiction in enumerate(organization.jurisdictions):
        if jurisdiction != "federal" and jurisdiction not in PROVINCES:
            yield Finding(
                (source, ("organization", "jurisdictions", index)),
                f"unknown jurisdiction '{jurisdiction}'",
                "use 'federal' or a province code such as QC",
            )
    email = organization.privacy_officer.email
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain.strip(".")):
        yield Finding(
            (source, ("organization", "privacy_officer", "email")),
            "the privacy officer's email is not an email address",
            "it is published in the portal and in every notice; write name@domain",
            rule="CMP-3",
        )


def main_policy_shape(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.main.extends is not None:
        yield Finding(
            (ctx.main_source, ("extends",)),
            "a main policy extends nothing",
            "remove 'extends:'; a product policy names the main policy it extends",
            key=True,
        )
    if not ctx.main.notice_channels:
        yield Finding(
            (ctx.main_source, ("notice_channels",)),
            "the policy names no channel to announce its changes",
            "list at least one notice channel (website, invoice_notice, email)",
            rule="POL-2",
        )
    access = ctx.main.access
    if access is not None and access.fee < 0:
        yield Finding(
            (ctx.main_source, ("access", "fee")),
            "the access fee cannot be negative",
            "write 0 (access costs nothing by default) or a fee in cents",
            rule="ACC-7",
        )


def authorized_users_act_for_an_account_holder(ctx: CheckContext) -> Iterator[Finding]:
    acts_for = {s.id: s.acts_for for s in ctx.policy.subject_types}
    for subject in ctx.policy.subject_types:
        seen = {subject.id}
        target = subject.acts_for
        while target is not None and target in acts_for:
            if target in seen:
                yield Finding(
                    ctx.origins.item("subject_types", subject.id, "acts_for"),
                    f"subject type '{subject.id}' acts, through others, for itself",
                    "an authorized user acts for an account holder that acts for no one",
                )
                break
            seen.add(target)
            target = acts_for[target]
