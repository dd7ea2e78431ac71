"""Per-source OAuth settings: the platforms' real endpoints by default, the app's client id and
secret from the environment (``OAUTH_TWITTER_CLIENT_ID`` ...); the demo points them at the
sandbox."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from socialpulse.errors import ConfigError
from socialpulse.settings import PROJECT_ROOT

META_VERSION = "v24.0"
# which source's consent connects which platform: Facebook and Instagram share Facebook Login
SOURCE_OF_PLATFORM = {"twitter": "twitter", "facebook": "meta", "instagram": "meta",
                      "linkedin": "linkedin"}


class SourceOAuth(BaseSettings):
    """One platform app: where people consent, where codes become tokens, the API to list what
    was granted, and the app's credentials."""

    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", env_ignore_empty=True,
                                      extra="ignore")

    authorize_url: str = ""
    token_url: str = ""
    api_url: str = ""
    # RFC 7009 revocation endpoint (X, LinkedIn); Meta revokes on the Graph API instead
    revoke_url: str = ""
    client_id: str | None = None
    client_secret: str | None = Field(default=None, repr=False)
    scopes: str = ""
    # X takes the client's credentials in a Basic header; Meta and LinkedIn in the request
    token_auth: str = "client_secret_post"
    uses_pkce: bool = False

    def credentials(self, source: str) -> tuple[str, str]:
        """The app's client id and secret; a clear configuration error when unset."""
        # blank counts as unset (an environment variable can blank out a value of .env)
        client_id, secret = (self.client_id or "").strip(), (self.client_secret or "").strip()
        if not client_id or not secret:
            prefix = f"OAUTH_{source.upper()}_"
            raise ConfigError(f"{prefix}CLIENT_ID and {prefix}CLIENT_SECRET are not set: "
                              "register the app with the platform (see the README) and set "
                              "them")
        return client_id, secret


class TwitterOAuth(SourceOAuth):
    model_config = SettingsConfigDict(env_prefix="OAUTH_TWITTER_")
    authorize_url: str = "https://x.com/i/oauth2/authorize"
    token_url: str = "https://api.x.com/2/oauth2/token"
    revoke_url: str = "https://api.x.com/2/oauth2/revoke"
    api_url: str = "https://api.x.com"
    scopes: str = "tweet.read users.read offline.access"
    token_auth: str = "client_secret_basic"
    uses_pkce: bool = True


class MetaOAuth(SourceOAuth):
    model_config = SettingsConfigDict(env_prefix="OAUTH_META_")
    authorize_url: str = f"https://www.facebook.com/{META_VERSION}/dialog/oauth"
    token_url: str = f"https://graph.facebook.com/{META_VERSION}/oauth/access_token"
    api_url: str = f"https://graph.facebook.com/{META_VERSION}"
    scopes: str = ("pages_show_list,pages_read_engagement,read_insights,instagram_basic,"
                   "instagram_manage_insights,instagram_manage_comments")


class LinkedInOAuth(SourceOAuth):
    model_config = SettingsConfigDict(env_prefix="OAUTH_LINKEDIN_")
    authorize_url: str = "https://www.linkedin.com/oauth/v2/authorization"
    token_url: str = "https://www.linkedin.com/oauth/v2/accessToken"
    revoke_url: str = "https://www.linkedin.com/oauth/v2/revoke"
    api_url: str = "https://api.linkedin.com"
    scopes: str = "r_organization_social rw_organization_admin r_organization_followers"
    api_version: str = "202610"


class OAuthSettings(BaseSettings):
    """Where the platforms send people back (the report API's public URL) and how long a
    started flow may take."""

    model_config = SettingsConfigDict(env_prefix="OAUTH_", env_file=PROJECT_ROOT / ".env",
                                      env_ignore_empty=True, extra="ignore")

    redirect_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The report API's public URL; the redirect URI registered with each "
                    "platform is <this>/api/connections/<source>/callback.")
    flow_ttl_seconds: int = Field(default=600, ge=30, le=3600,
                                  description="How long a started connection may take.")


def source_oauth(source: str) -> SourceOAuth:
    """The settings of one source (read fresh: the demo sets them at run time)."""
    classes: dict[str, type[SourceOAuth]] = {"twitter": TwitterOAuth, "meta": MetaOAuth,
                                             "linkedin": LinkedInOAuth}
    return classes[source]()


@lru_cache
def oauth_settings() -> OAuthSettings:
    """The cached flow settings (clear with ``oauth_settings.cache_clear()``)."""
    return OAuthSettings()


def sandbox_environment(sandbox_url: str, credentials: dict[str, dict[str, str]]) -> dict:
    """Environment variables pointing every source's OAuth at the sandbox (the demo and tests):
    the sandbox serves the three platforms' paths on one host."""
    base = sandbox_url.rstrip("/")
    env = {
        "OAUTH_TWITTER_AUTHORIZE_URL": f"{base}/i/oauth2/authorize",
        "OAUTH_TWITTER_TOKEN_URL": f"{base}/2/oauth2/token",
        "OAUTH_TWITTER_REVOKE_URL": f"{base}/2/oauth2/revoke",
        "OAUTH_TWITTER_API_URL": base,
        "OAUTH_META_AUTHORIZE_URL": f"{base}/{META_VERSION}/dialog/oauth",
        "OAUTH_META_TOKEN_URL": f"{base}/{META_VERSION}/oauth/access_token",
        "OAUTH_META_API_URL": f"{base}/{META_VERSION}",
        "OAUTH_LINKEDIN_AUTHORIZE_URL": f"{base}/oauth/v2/authorization",
        "OAUTH_LINKEDIN_TOKEN_URL": f"{base}/oauth/v2/accessToken",
        "OAUTH_LINKEDIN_REVOKE_URL": f"{base}/oauth/v2/revoke",
        "OAUTH_LINKEDIN_API_URL": base,
    }
    for source, creds in credentials.items():
        env[f"OAUTH_{source.upper()}_CLIENT_ID"] = creds["client_id"]
        env[f"OAUTH_{source.upper()}_CLIENT_SECRET"] = creds["client_secret"]
    return env
