"""A verifier's answers checked before anything is written: every draft cell answered once,
a correction with a value of the scale, a citation and at most a short note."""

from __future__ import annotations

from collections.abc import Sequence

from childsafe.campaign.model.cells import Answer, CellAnswer, DraftCell
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.text import check_text
from childsafe.review.model.values import parse_value

NOTE_MAX = 4000


def check_answers(drafts: Sequence[DraftCell], answers: Sequence[CellAnswer]) -> list[CellAnswer]:
    """The answers cleaned (values in their canonical spelling), in the drafts' order."""
    wanted = {cell.criterion for cell in drafts}
    given: dict[str, CellAnswer] = {}
    for answer in answers:
        criterion = answer.criterion.strip().upper()
        if criterion not in wanted:
            raise InvalidValue(f"{criterion!r} is not a cell of this draft", field="criterion")
        if criterion in given:
            raise InvalidValue(f"{criterion} is answered twice", field="criterion")
        given[criterion] = _checked(criterion, answer)
    missing = sorted(wanted - set(given))
    if missing:
        raise InvalidValue(
            f"confirm or correct every cell; not answered: {', '.join(missing)}",
            field="criterion",
            missing=missing,
        )
    return [given[cell.criterion] for cell in drafts]


def _checked(criterion: str, answer: CellAnswer) -> CellAnswer:
    for field in ("citation", "excerpt", "note"):
        check_text(getattr(answer, field), field, multiline=field != "citation")
    if len(answer.note) > NOTE_MAX or len(answer.excerpt) > NOTE_MAX:
        raise InvalidValue(f"{criterion}: a note or excerpt may have at most {NOTE_MAX} characters")
    if answer.answer is Answer.CONFIRM:
        return CellAnswer(criterion, Answer.CONFIRM, note=answer.note.strip())
    if not answer.citation.strip():
        raise InvalidValue(
            f"{criterion}: a correction needs a citation (statute and article)", field="citation"
        )
    value = parse_value(answer.value)
    return CellAnswer(
        criterion,
        Answer.CORRECT,
        value=value.value,
        citation=answer.citation.strip(),
        excerpt=answer.excerpt.strip(),
        note=answer.note.strip(),
    )
