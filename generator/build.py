"""Stage 5, build: run MkDocs (which runs our plugin) into a temporary directory beside
`site/`, and swap it in only when the whole build succeeded. A failed build leaves the
previous `site/` exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from .buildinfo import source_date_epoch


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def show_mkdocs_log() -> logging.Logger:
    """MkDocs' logger, printing like the mkdocs command does when it is not run from there."""
    mk_log = logging.getLogger("mkdocs")
    if not mk_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        mk_log.addHandler(handler)
        mk_log.setLevel(logging.INFO)
    return mk_log


def build_site(
    root: Path, config_file: str = "mkdocs.yml", site_dir: str | None = None, strict: bool | None = None
) -> bool:
    """Build the site atomically. Returns True when the new site was published.

    strict=True fails on any MkDocs warning whatever mkdocs.yml says (None: as it says)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    root = root.resolve()
    epoch = source_date_epoch(root)
    if epoch:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    cfg = load_config(str(root / config_file), **({} if strict is None else {"strict": strict}))
    final = Path(site_dir).resolve() if site_dir else Path(cfg.site_dir)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
    counter = _Counter()
    mk_log = show_mkdocs_log()
    mk_log.addHandler(counter)
    try:
        cfg.site_dir = str(tmp)
        build(cfg)
        if cfg.strict and counter.count:
            raise Abort(f"Aborted with {counter.count} warnings in strict mode!")
        from .publish import verify_site

        problems = verify_site(tmp)
        if problems:
            for p in problems:
                logging.getLogger("mkdocs").error(p)
            raise Abort(f"site check found {len(problems)} problems; nothing published")
        os.chmod(tmp, 0o755)
        _swap(tmp, final)
        return True
    except (MkDocsException, OSError) as e:
        logging.getLogger("mkdocs").error(str(e))
        return False
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _swap(new: Path, final: Path) -> None:
    """Replace `final` by `new` with two renames on one filesystem."""
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.rmdir(old)
        os.replace(final, old)
        os.replace(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)
