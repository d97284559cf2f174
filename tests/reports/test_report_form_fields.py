"""The report forms' pure parts: the country list round-trips by name in every language, the
form's fields always make one JSON record, and every pipeline column lands on a form field."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from childsafe.kernel.errors import ImportProblem, ImportRejected, InvalidValue
from childsafe.kernel.languages import LANGUAGES
from childsafe.reports.web.report_form import (
    FIELD_MESSAGES,
    FORM,
    REPORT_FIELDS,
    country_choices,
    country_code,
    field_errors,
    field_of,
    record_json,
)


def test_every_country_offered_is_found_again_by_its_name_and_code() -> None:
    for lang in LANGUAGES:
        choices = country_choices(lang)
        assert len(choices) > 190
        for code, name in choices:
            assert country_code(name, lang) == code, (lang, name)
            assert country_code(code.lower(), lang) == code


def test_a_name_that_is_no_country_is_not_guessed() -> None:
    assert country_code("Narnia", "en") is None
    assert country_code("Netherland", "en") is None  # a near miss is the person's to fix


@given(st.dictionaries(st.sampled_from(REPORT_FIELDS), st.text(max_size=30)))
def test_the_fields_always_make_one_public_json_record(fields: dict[str, str]) -> None:
    record = json.loads(record_json(fields, None))
    assert record["reporter_type"] == "public"
    assert set(record) <= {*REPORT_FIELDS, "payment", "price", "reporter_type"}
    if any(fields.get(f"payment_{part}", "").strip() for part in ("kind", "brand", "identifier")):
        assert set(record["payment"][0]) == {"kind", "brand", "identifier"}


@given(st.text(max_size=30))
def test_every_column_lands_on_a_field_with_a_message(column: str) -> None:
    assert field_of(column) in FIELD_MESSAGES


def test_refusals_become_messages_by_field() -> None:
    problems = [
        ImportProblem("x", file="f", line=1, column=column, value="v")
        for column in ("payment[0]", "price.currency", "hosting_country")
    ]
    assert set(field_errors(ImportRejected("f", problems))) == {
        "payment_identifier",
        "price_currency",
        "hosting_country",
    }
    assert field_errors(InvalidValue("anything")) == {FORM: FIELD_MESSAGES[FORM]}
