"""A local OpenID provider for the tests: a small WSGI app on 127.0.0.1 in a thread of the test process.

It is just enough of a provider for mozilla-django-oidc's authorization-code flow, and checks what a real
one checks:

* ``/.well-known/openid-configuration``: the discovery document;
* ``/authorize``: approves at once, as ``FakeProvider.person`` (the claims of whoever is "signed in at the
  council"), and sends the browser back to the ``redirect_uri`` with a one-time ``code`` and the ``state``;
* ``/token``: swaps the code for an ``id_token`` signed RS256 with a key made by ``cryptography`` (with the
  ``nonce`` from the authorize request, the groups, ``iss``, ``aud``) and an ``access_token``; it checks the
  client secret, the redirect URI and the PKCE verifier;
* ``/userinfo``: the person's claims without the groups (as Entra ID does), for the access token;
* ``/jwks``: the public key.

Nothing leaves the machine. ``FakeProvider.start()`` returns a running provider; ``stop()`` ends it.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "golden-thread-test"
CLIENT_SECRET = "a-test-client-secret"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True


class FakeProvider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.person: dict = {}
        self.authorize_requests: list[dict] = []
        self.id_token_extra: dict = {}  # claims to change in the next ID tokens (a test of a bad token)
        self.server = make_server("127.0.0.1", 0, self.app, server_class=_ThreadedServer, handler_class=_Quiet)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @classmethod
    def start(cls) -> "FakeProvider":
        provider = cls()
        provider.thread.start()
        return provider

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sign_in_as(self, *, sub: str, preferred_username: str | None = None, email: str | None = None,
                   email_verified: bool | None = True, groups: list[str] | None = None, **claims) -> None:
        """Who the provider says is signed in at the council for the next sign-in."""
        person = {"sub": sub, **claims}
        if preferred_username is not None:
            person["preferred_username"] = preferred_username
        if email is not None:
            person["email"] = email
        if email_verified is not None:
            person["email_verified"] = email_verified
        person["groups"] = list(groups or [])
        self.person = person

    # -- the WSGI app ----------------------------------------------------------------------------------
    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        handler = {
            "/.well-known/openid-configuration": self.discovery, "/authorize": self.authorize,
            "/token": self.token, "/userinfo": self.userinfo, "/jwks": self.jwks,
        }.get(path)
        if handler is None:
            return self._reply(start_response, "404 Not Found", {"error": "not_found"})
        return handler(environ, query, start_response)

    @staticmethod
    def _reply(start_response, status, body, headers=()):
        data = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                                *headers])
        return [data]

    def discovery(self, environ, query, start_response):
        return self._reply(start_response, "200 OK", {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        })

    def authorize(self, environ, query, start_response):
        self.authorize_requests.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code" or "openid" not in (
                query.get("scope") or "").split():
            return self._reply(start_response, "400 Bad Request", {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"],
                            "challenge": query.get("code_challenge"), "person": dict(self.person)}
        location = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
        start_response("302 Found", [("Location", location), ("Content-Length", "0")])
        return [b""]

    def token(self, environ, query, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if (grant is None or form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant["redirect_uri"]):
            return self._reply(start_response, "400 Bad Request", {"error": "invalid_grant"})
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                return self._reply(start_response, "400 Bad Request", {"error": "invalid_grant"})
        now = int(time.time())
        person = grant["person"]
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": grant["nonce"],
                  **person, **self.id_token_extra}
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = {k: v for k, v in person.items() if k != "groups"}
        return self._reply(start_response, "200 OK", {"access_token": access_token, "token_type": "Bearer",
                                                      "expires_in": 300, "id_token": id_token})

    def userinfo(self, environ, query, start_response):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return self._reply(start_response, "401 Unauthorized", {"error": "invalid_token"})
        return self._reply(start_response, "200 OK", self.tokens[token])

    def jwks(self, environ, query, start_response):
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return self._reply(start_response, "200 OK", {"keys": [public | {"kid": self.kid, "alg": "RS256",
                                                                         "use": "sig"}]})


#: The test role map: the provider's group names (Entra ID would send group object IDs) to role names.
ROLE_MAP = "gt-commissioners=Commissioner;gt-facilitators=Facilitator;gt-admins=Administrator"


def configure(settings, provider: FakeProvider, role_map: str = ROLE_MAP) -> None:
    """Point pytest-django's ``settings`` at the provider: issuer only, so the endpoints come from discovery."""
    settings.GOLDENTHREAD_OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.GOLDENTHREAD_OIDC_ROLE_MAP = role_map
    settings.GOLDENTHREAD_OIDC_GROUPS_CLAIM = "groups"
