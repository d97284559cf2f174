"""The transports against HTTP answers (httpx's mock transport, no network): a refused or
expired token, a 500 from a webhook, an unreachable partner and a missing token variable each
give a failure that says why, permanent or to be tried again; a webhook body is signed so that
a receiver verifies it."""

from __future__ import annotations

import json

import httpx
import pytest

from childsafe.referrals.delivery.transports import ChildsafeTransport, Message, WebhookTransport
from childsafe.referrals.model.outbox import (
    SIGNATURE_HEADER,
    DeliveryFailed,
    DeliveryKind,
    verify_signature,
)
from childsafe.referrals.model.partners import Partner, PartnerKind

NL = Partner("hotline-nl", PartnerKind.CHILDSAFE, "https://nl.example.org", token_env="NL_TOKEN")
HOOK = Partner("host-x", PartnerKind.WEBHOOK, "https://hooks.example.com/ntd", token_env="X_KEY")
MESSAGE = Message("dlv_synthetic", DeliveryKind.REFERRAL, {"site": "example.net"})
ENV = {"NL_TOKEN": "cst_synthetic", "X_KEY": "synthetic secret"}


def _client(answer: httpx.Response | Exception, seen: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_a_delivery_to_an_instance_carries_the_token_and_the_key() -> None:
    seen: list[httpx.Request] = []
    answer = httpx.Response(201, json={"ref": 12, "replayed": False})
    assert ChildsafeTransport(_client(answer, seen), ENV).send(NL, MESSAGE) == "12"
    (request,) = seen
    assert str(request.url) == "https://nl.example.org/api/v1/referrals/incoming"
    assert request.headers["Authorization"] == "Bearer cst_synthetic"
    assert request.headers["Idempotency-Key"] == "dlv_synthetic"


@pytest.mark.parametrize(
    ("answer", "permanent", "said"),
    [
        (
            httpx.Response(401, json={"error": {"message": "unknown or revoked API token"}}),
            True,
            "refused the token (401): unknown or revoked API token",
        ),
        (httpx.Response(422, json={"error": {"message": "bad field"}}), True, "answered 422"),
        (httpx.Response(503, text="maintenance"), False, "answered 503: maintenance"),
        (httpx.ConnectError("connection refused"), False, "could not reach"),
    ],
)
def test_failures_say_why_and_whether_to_try_again(
    answer: httpx.Response | Exception, permanent: bool, said: str
) -> None:
    with pytest.raises(DeliveryFailed, match=said.replace("(", r"\(").replace(")", r"\)")) as exc:
        ChildsafeTransport(_client(answer, []), ENV).send(NL, MESSAGE)
    assert exc.value.permanent is permanent


def test_a_missing_token_variable_fails_for_good() -> None:
    with pytest.raises(DeliveryFailed, match="NL_TOKEN holding its token is not set") as exc:
        ChildsafeTransport(_client(httpx.Response(201), []), {}).send(NL, MESSAGE)
    assert exc.value.permanent


def test_a_webhook_is_signed_and_its_500_is_tried_again() -> None:
    seen: list[httpx.Request] = []
    webhook = WebhookTransport(_client(httpx.Response(500, text="boom"), seen), ENV, lambda: 1e9)
    with pytest.raises(DeliveryFailed, match="answered 500: boom") as exc:
        webhook.send(HOOK, MESSAGE)
    assert not exc.value.permanent
    (request,) = seen
    body = request.content
    assert json.loads(body)["key"] == "dlv_synthetic"
    header = request.headers[SIGNATURE_HEADER]
    assert verify_signature("synthetic secret", header, body, 1_000_000_000)
    assert not verify_signature("synthetic secret", header, body, 1_000_000_000 + 600)
