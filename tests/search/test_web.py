"""The search API and page on the shipped data."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("query", ["thai", "Tailandia", "Таиланд", "تايلاند", "THA", "th"])
def test_thailand_is_found_in_every_script(client: TestClient, query: str) -> None:
    response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == "THA"


@pytest.mark.parametrize(
    ("query", "code"),
    [("Burma", "MMR"), ("Ivory Coast", "CIV"), ("czech republic", "CZE"), ("Turkiye", "TUR")],
)
def test_common_names_find_their_jurisdiction(client: TestClient, query: str, code: str) -> None:
    results = client.get("/api/v1/search", params={"q": query}).json()["results"]
    assert results[0]["id"] == code


def test_groupings_criteria_and_members_are_found(client: TestClient) -> None:
    kinds = {
        q: client.get("/api/v1/search", params={"q": q}).json()["results"][0]["kind"]
        for q in ("ASEAN", "C1", "Visa")
    }
    assert kinds == {"ASEAN": "grouping", "C1": "criterion", "Visa": "member"}


def test_labels_and_links_follow_the_language(client: TestClient) -> None:
    body = client.get("/api/v1/search", params={"q": "thai", "lang": "ar"}).json()
    first = body["results"][0]
    assert (first["label"], first["href"]) == ("تايلاند", "/ar/jurisdictions/THA")


def test_nothing_found_and_bad_queries(client: TestClient) -> None:
    assert client.get("/api/v1/search", params={"q": "zzzzqq"}).json()["results"] == []
    too_long = client.get("/api/v1/search", params={"q": "x" * 101})
    assert too_long.status_code == 422
    assert too_long.json()["error"]["code"]
    assert client.get("/api/v1/search", params={"q": "x", "lang": "fr"}).status_code == 422


def test_the_plain_form_lists_results_and_an_exact_name_goes_to_its_page(
    client: TestClient,
) -> None:
    listed = client.get("/ru/search", params={"q": "Тай"})
    assert listed.status_code == 200 and "/ru/jurisdictions/THA" in listed.text
    chosen = client.get("/en/search", params={"q": "Thailand"}, follow_redirects=False)
    assert (chosen.status_code, chosen.headers["location"]) == (303, "/en/jurisdictions/THA")
    assert 'role="search"' in client.get("/en/").text  # the box on every page
