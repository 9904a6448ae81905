"""A beneficiary: one person's record across every programme — the payments they received and
their declared relations to village cadres. The stream is keyed by a hash of the ID number, so
one person's data can be found (and erased) in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from funds.domain import events as ev
from shared.kernel import Aggregate, AlreadyExists, Event


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment the person received."""

    programme_id: str
    disbursement_id: str
    event_id: str
    village: str
    amount: Decimal
    paid_on: dt.date


class Beneficiary(Aggregate):
    """One person; stream `beneficiary-<person_ref(id_number)>`."""

    def __init__(self, stream_id: str) -> None:
        super().__init__(stream_id)
        self.payments: list[Payment] = []
        self.relations: list[ev.CadreRelationRecorded] = []

    def record_payment(
        self,
        *,
        programme_id: str,
        disbursement_id: str,
        event_id: str,
        village: str,
        amount: Decimal,
        paid_on: dt.date,
    ) -> None:
        """Add a payment to the person's record."""
        if any(p.disbursement_id == disbursement_id for p in self.payments):
            return
        self._record(
            ev.BeneficiaryPaid(
                programme_id=programme_id,
                disbursement_id=disbursement_id,
                disbursement_event_id=event_id,
                village=village,
                amount=amount,
                paid_on=paid_on,
            )
        )

    def record_relation(self, event: ev.CadreRelationRecorded) -> None:
        """Declare the person a relative of a village cadre; once per cadre."""
        if any(r.relation_id == event.relation_id for r in self.relations):
            raise AlreadyExists(f"与{event.cadre_name}的亲属关系已登记 (relation already recorded)")
        self._record(event)

    def payments_in(self, programme_ids: set[str]) -> list[Payment]:
        """The person's payments from any of these programmes."""
        return [p for p in self.payments if p.programme_id in programme_ids]

    def _apply(self, event: Event) -> None:
        match event:
            case ev.BeneficiaryPaid():
                self.payments.append(
                    Payment(
                        event.programme_id,
                        event.disbursement_id,
                        event.disbursement_event_id,
                        event.village,
                        event.amount,
                        event.paid_on,
                    )
                )
            case ev.CadreRelationRecorded():
                self.relations.append(event)
            case _:
                super()._apply(event)
