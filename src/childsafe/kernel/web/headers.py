"""The security headers every response carries, error responses and 500s included."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Everything is served from this origin: no CDN, fonts, scripts or tiles from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI: no per-request overhead of
    Starlette's BaseHTTPMiddleware, which matters at the load we measure in bench/).

    Starlette answers an unhandled exception outside every middleware, so the 500 handler in
    ``kernel/web/errors.py`` adds the same headers itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                given = {name.lower() for name, _ in headers}  # a route's own choice stands
                message["headers"] = [
                    *headers,
                    *(h for h in SECURITY_HEADERS if h[0] not in given),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)
