"""Alert settings from the environment: which sinks deliver, how to reach them, rule parameters.

Every field maps to the upper-case environment variable of the same name (``ALERT_SINKS``,
``SMTP_HOST`` ...). Secrets are ``SecretStr`` so they never show in a repr or a log line.
The rule parameters and their defaults are explained in the Alerts section of ``DECISIONS.md``.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from socialpulse.errors import ConfigError
from socialpulse.settings import PROJECT_ROOT

SINKS = ("log", "webhook", "email")


class AlertSettings(BaseSettings):
    """Sinks, retry policy and detection parameters of the alerting sensors."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_ignore_empty=True, extra="ignore"
    )

    alert_sinks: str = Field(default="log", description="Comma-separated: log, webhook, email.")
    alert_webhook_url: SecretStr | None = Field(
        default=None, description="Slack-compatible incoming webhook; its path is a secret.")
    alert_webhook_timeout_s: float = 10.0
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    # None = STARTTLS on the submission port 587 only; set true/false to force it
    smtp_starttls: bool | None = None
    smtp_timeout_s: float = 15.0
    alert_email_to: str | None = Field(default=None, description="Comma-separated recipients.")

    # delivery: exponential back-off with jitter, then give up (the alert stays listed)
    alert_retry_base_s: float = Field(default=60.0, gt=0)
    alert_retry_max_s: float = Field(default=3600.0, gt=0)
    alert_max_attempts: int = Field(default=8, ge=1)
    alert_delivery_batch: int = Field(default=50, ge=1)

    # viral posts: re-read candidates detected this long before the cursor (late data)
    alert_viral_lookback_hours: float = Field(default=48.0, gt=0)

    # negative-sentiment spikes (Brandwatch/Emplifi "increase" alert + Socialmetrix k-sigma)
    sentiment_window_hours: float = Field(default=24.0, gt=0)
    sentiment_baseline_days: float = Field(default=7.0, gt=0)
    sentiment_min_comments: int = Field(default=10, ge=1)
    sentiment_min_share: float = Field(default=0.35, ge=0, le=1)
    sentiment_min_lift: float = Field(default=2.0, ge=1)
    sentiment_z_threshold: float = Field(default=3.0, gt=0)

    @property
    def sinks(self) -> list[str]:
        """Configured sink names, validated (see :meth:`validate_sinks`)."""
        return self.validate_sinks()

    def validate_sinks(self) -> list[str]:
        """The configured sinks in order; a ConfigError names what is unknown or missing."""
        names = [s.strip().lower() for s in self.alert_sinks.split(",") if s.strip()]
        if not names:
            raise ConfigError("ALERT_SINKS is empty: use one or more of " + ", ".join(SINKS))
        unknown = [n for n in names if n not in SINKS]
        if unknown:
            raise ConfigError(f"ALERT_SINKS has unknown sink(s) {', '.join(unknown)}: "
                              f"choose from {', '.join(SINKS)}")
        if "webhook" in names:
            if self.alert_webhook_url is None:
                raise ConfigError("ALERT_SINKS includes webhook but ALERT_WEBHOOK_URL is not set")
            parts = urlsplit(self.alert_webhook_url.get_secret_value())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigError("ALERT_WEBHOOK_URL must be an http(s) URL")
        if "email" in names:
            missing = [env for env, value in (("SMTP_HOST", self.smtp_host),
                                              ("SMTP_FROM", self.smtp_from),
                                              ("ALERT_EMAIL_TO", self.alert_email_to))
                       if not value]
            if missing:
                raise ConfigError("ALERT_SINKS includes email but " + ", ".join(missing)
                                  + (" is" if len(missing) == 1 else " are") + " not set")
        return list(dict.fromkeys(names))

    @property
    def email_recipients(self) -> list[str]:
        return [a.strip() for a in (self.alert_email_to or "").split(",") if a.strip()]

    @property
    def use_starttls(self) -> bool:
        return self.smtp_port == 587 if self.smtp_starttls is None else self.smtp_starttls

    def secrets(self) -> list[str]:
        """Strings that must never reach a log line or a stored error message."""
        out: list[str] = []
        if self.smtp_password is not None:
            out.append(self.smtp_password.get_secret_value())
        if self.alert_webhook_url is not None:
            url = self.alert_webhook_url.get_secret_value()
            path = urlsplit(url).path
            out.append(url)
            # Slack-style URLs carry the token in the path: /services/T000/B000/XXXX
            out.extend(p for p in path.split("/") if len(p) >= 6)
            if len(path) > 1:
                out.append(path)
        return sorted({s for s in out if s}, key=len, reverse=True)


def load_alert_settings(**overrides: object) -> AlertSettings:
    """Read and validate the alert settings; a ConfigError instead of a pydantic traceback."""
    try:
        settings = AlertSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][0]).upper() for e in exc.errors() if e["loc"])
        raise ConfigError(f"invalid alert setting(s) {fields}: "
                          f"{exc.errors()[0]['msg']}") from None
    settings.validate_sinks()
    return settings


def redact(text: str, secrets: list[str]) -> str:
    """Replace every secret in ``text`` with ``***``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def public_webhook_target(url: str) -> str:
    """The part of a webhook URL that is safe to show: scheme and host."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/***"


class RedactingFilter(logging.Filter):
    """Log filter that replaces known secrets in a record's final message with ``***``.

    Installed on the ``httpx`` logger: httpx logs every request URL at INFO level, and a
    Slack-style webhook URL carries its token in the path.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = redact(message, sorted(self.secrets, key=len, reverse=True))
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


def protect_logs(secrets: list[str], loggers: tuple[str, ...] = ("httpx", "httpcore")) -> None:
    """Redact ``secrets`` from everything the HTTP client libraries log (idempotent)."""
    _FILTER.secrets.update(s for s in secrets if s)
    for name in loggers:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
