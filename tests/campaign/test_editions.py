"""The 9th edition's questions as ICMEC published them, each with its source."""

from __future__ import annotations

from childsafe.review.model.framework import Framework


def test_the_ninth_edition_words_its_questions_itself(framework: Framework) -> None:
    ninth = framework.edition_criteria(framework.edition(9))
    eighth = framework.edition_criteria(framework.edition(8))
    assert [c.id for c in ninth] == ["C1", "C2", "C3", "C4", "C5"]
    assert all(c.source == "icmec-9th-edition" for c in ninth)
    assert all("child sexual abuse material" in c.question or "CSAM" in c.question for c in ninth)
    assert "regardless of the intent to distribute" in ninth[3].question
    assert all(c.source != "icmec-9th-edition" for c in eighth)
    assert "icmec-9th-edition" in framework.sources
