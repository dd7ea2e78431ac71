"""Real local receivers for the alert sinks: a webhook HTTP server and an SMTP server
(aiosmtpd), each in a thread."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WEBHOOK_TOKEN = "T0SECRET/B0SECRET/xoxWebhookToken123"
SMTP_USER = "alerts@agency.test"
SMTP_PASSWORD = "sm7p-Pa55word-do-not-log"
# environment keys the alert settings read; cleared so a developer's .env never leaks in
ALERT_ENV = ("ALERT_SINKS", "ALERT_WEBHOOK_URL", "SMTP_HOST", "SMTP_PORT", "SMTP_USER",
             "SMTP_PASSWORD", "SMTP_FROM", "SMTP_STARTTLS", "ALERT_EMAIL_TO",
             "ALERT_RETRY_BASE_S", "ALERT_RETRY_MAX_S", "ALERT_MAX_ATTEMPTS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookServer:
    """A local HTTP server that records POSTed JSON and answers from a script of statuses."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.script: list[tuple[int, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                status, headers = outer.script.pop(0) if outer.script else (200, {})
                outer.received.append({"path": self.path, "status": status,
                                       "json": json.loads(body or b"null")})
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                text = b"ok" if status < 300 else b"invalid_token"
                self.send_header("content-length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/services/{WEBHOOK_TOKEN}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def respond(self, *statuses: int | tuple[int, dict[str, str]]) -> None:
        """Answer the next POSTs with these statuses (then 200)."""
        self.script = [s if isinstance(s, tuple) else (s, {}) for s in statuses]

    def delivered(self) -> list[dict]:
        return [r["json"] for r in self.received if r["status"] < 300]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class MailServer:
    """aiosmtpd on a free port with AUTH LOGIN/PLAIN; refuses recipients at ``bounce.test``."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages: list = []
        self.logins: list[str] = []
        outer = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
                if address.endswith("@bounce.test"):
                    return "550 5.1.1 no such user"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                outer.messages.append(message_from_bytes(envelope.content))
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login.decode() == SMTP_USER
                  and auth_data.password.decode() == SMTP_PASSWORD)
            if ok:
                outer.logins.append(auth_data.login.decode())
            # handled=False: aiosmtpd answers 235 or 535 itself
            return AuthResult(success=ok, handled=False)

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port,
                                     authenticator=authenticator, auth_require_tls=False)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


def email_env(mail: MailServer, to: str = "team@agency.test") -> dict[str, object]:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": mail.port, "SMTP_USER": SMTP_USER,
            "SMTP_PASSWORD": SMTP_PASSWORD, "SMTP_FROM": "socialpulse@agency.test",
            "ALERT_EMAIL_TO": to}
