"""Where alerts go: the log, a Slack-compatible webhook, e-mail over SMTP.

A sink either returns (delivered) or raises :class:`DeliveryError` saying whether a retry can
help. Error messages are built here from status codes and exception types, never from the
configured URL or password, and are redacted once more before they are stored or logged.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import urlsplit

import httpx

from socialpulse.alerts import render
from socialpulse.alerts.config import AlertSettings, protect_logs, public_webhook_target

log = logging.getLogger("socialpulse.alerts")


class DeliveryError(Exception):
    """A sink could not deliver; ``permanent`` means retrying will not help."""

    def __init__(self, message: str, permanent: bool = False,
                 retry_after_s: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after_s = retry_after_s


class Sink(Protocol):
    name: str

    def send(self, alert: dict) -> None: ...


class LogSink:
    """Writes the alert to the ``socialpulse.alerts`` logger (always available)."""

    name = "log"

    def send(self, alert: dict) -> None:
        log.warning("ALERT %s", render.plain_text(alert).replace("\n", " | "))


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to our own back-off


class WebhookSink:
    """POSTs Slack-compatible JSON (``text`` + ``blocks``) to ``ALERT_WEBHOOK_URL``."""

    name = "webhook"
    # 408 and 429 mean "try again later"; every other 4xx means the request or URL is wrong
    RETRYABLE_4XX = (408, 429)

    def __init__(self, url: str, timeout_s: float = 10.0, client: httpx.Client | None = None):
        self._url = url
        self.target = public_webhook_target(url)
        protect_logs([url, urlsplit(url).path])
        self._client = client or httpx.Client(timeout=timeout_s, follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def send(self, alert: dict) -> None:
        try:
            response = self._client.post(self._url, json=render.slack_message(alert))
        except httpx.TimeoutException:
            raise DeliveryError(f"webhook {self.target}: timed out") from None
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook {self.target}: {type(exc).__name__}") from None
        code = response.status_code
        if 200 <= code < 300:
            return
        body = response.text[:120].replace("\n", " ")
        message = f"webhook {self.target}: HTTP {code} {body}".rstrip()
        if code in self.RETRYABLE_4XX or code >= 500:
            raise DeliveryError(message, retry_after_s=_retry_after(
                response.headers.get("retry-after")))
        raise DeliveryError(message, permanent=True)


class EmailSink:
    """Sends a plain-text e-mail through SMTP (STARTTLS and login when configured)."""

    name = "email"

    def __init__(self, settings: AlertSettings):
        self.settings = settings

    def _message(self, alert: dict) -> EmailMessage:
        s = self.settings
        msg = EmailMessage()
        msg["Subject"] = f"[socialpulse] {render.title(alert)}"
        msg["From"] = s.smtp_from or ""
        msg["To"] = ", ".join(s.email_recipients)
        domain = (s.smtp_from or "socialpulse.local").rsplit("@", 1)[-1]
        # a stable id lets mail clients thread/dedupe a retried alert
        msg["Message-ID"] = make_msgid(idstring=f"alert{alert['alert_id']}", domain=domain)
        msg["X-Socialpulse-Alert"] = str(alert["alert_id"])
        msg.set_content(render.plain_text(alert))
        return msg

    def send(self, alert: dict) -> None:
        s = self.settings
        target = f"smtp {s.smtp_host}:{s.smtp_port}"
        try:
            with smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=s.smtp_timeout_s) as smtp:
                if s.use_starttls:
                    smtp.starttls()
                if s.smtp_user:
                    password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                    smtp.login(s.smtp_user, password)
                smtp.send_message(self._message(alert))
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"{target}: authentication failed ({exc.smtp_code})",
                                permanent=True) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise DeliveryError(f"{target}: recipients refused {codes}",
                                permanent=all(c >= 500 for c in codes)) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"{target}: SMTP {exc.smtp_code}",
                                permanent=exc.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{target}: {type(exc).__name__}") from None


def close_sinks(sinks: dict[str, Sink]) -> None:
    """Release connections held by sinks (the webhook's HTTP client)."""
    for sink in sinks.values():
        close = getattr(sink, "close", None)
        if close is not None:
            close()


def build_sinks(settings: AlertSettings) -> dict[str, Sink]:
    """The configured sinks by name (validated: a ConfigError names what is wrong)."""
    protect_logs(settings.secrets())
    out: dict[str, Sink] = {}
    for name in settings.validate_sinks():
        if name == "log":
            out[name] = LogSink()
        elif name == "webhook":
            assert settings.alert_webhook_url is not None
            out[name] = WebhookSink(settings.alert_webhook_url.get_secret_value(),
                                    settings.alert_webhook_timeout_s)
        elif name == "email":
            out[name] = EmailSink(settings)
    return out
