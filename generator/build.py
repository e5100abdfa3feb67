"""Stage 5, build: run MkDocs (which runs our plugin) into a temporary directory beside
`site/`, verify the result, and swap it in only when everything passed.

The swap is one `renameat2(RENAME_EXCHANGE)` system call on Linux: at every instant
`site/` is either the complete previous site or the complete new one, and stays a plain
directory. Where the call is missing, two renames are used and a crash between them is
repaired by the next build. A failed or interrupted build leaves the previous `site/`
byte-identical; its leftovers (`.site.new-*`) are removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .clock import epoch_problem, source_date_epoch

if TYPE_CHECKING:
    from .project import Project

log = logging.getLogger("mkdocs")


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


def run(root: Path, site_dir: str | None = None, strict: bool | None = None) -> tuple[Project, Path | None]:
    """The whole pipeline, as `factsheet build` runs it. Returns the project and whether a
    site was published."""
    from .pipeline import check, collector_paused

    with collector_paused(freeze=True):  # the project lives as long as this process
        project = check(root)  # load -> validate -> resolve citations
    if project.report.has_errors:
        return project, None  # nothing is rendered or built from content with an error
    # render -> build: the plugin renders each page of the plan as MkDocs asks for it, then
    # the built site is checked and swapped in atomically
    return project, build_site(root, project, site_dir=site_dir, strict=strict)


ALLOW_OUTSIDE = "FACTSHEET_ALLOW_OUTSIDE"  # =1: mkdocs.yml may put site_dir/docs_dir outside the project


def outside_project(root: Path, config_file: Path, site: Path, docs: Path, site_explicit: bool) -> str | None:
    """Why these directories may not be built from and published to, if so.

    mkdocs.yml comes with the pull request like the content: its `site_dir` is replaced
    whole by the build (every file in it deleted) and its `docs_dir` is published, so
    both must lie inside the project unless the person running the build allows it
    (FACTSHEET_ALLOW_OUTSIDE=1, or --site-dir on the command line for site_dir). Never
    allowed: a site_dir that is or holds the project, its content, templates, docs or
    configuration, which the swap would put aside with the old site."""
    root = root.resolve()
    allowed = os.environ.get(ALLOW_OUTSIDE) == "1"
    for name, path, explicit in (("site_dir", site, site_explicit), ("docs_dir", docs, False)):
        if not (allowed or explicit) and not path.is_relative_to(root):
            return (
                f"{name} is {path}, outside the project {root}; refusing to "
                + ("replace it" if name == "site_dir" else "publish it")
                + f" (set {ALLOW_OUTSIDE}=1 to allow it)"
            )
    for keep in (root, root / "content", root / "templates", docs, config_file.resolve(), root / ".git"):
        if keep.is_relative_to(site):
            return f"site_dir is {site}, which holds {keep}: the build replaces site_dir whole"
    return None


def build_site(
    root: Path,
    project: Project | None = None,
    config_file: str = "mkdocs.yml",
    site_dir: str | None = None,
    strict: bool | None = None,
) -> Path | None:
    """Build the site atomically. Returns the directory it was published to (its real
    path), or None when nothing was published.

    strict=True fails on any MkDocs warning whatever mkdocs.yml says (None: as it says).
    `project` is content already checked (pipeline.check); the plugin then renders it
    instead of checking again."""
    root = root.resolve()
    problem = epoch_problem()
    if problem:
        log.error(problem)
        return None
    epoch, _ = source_date_epoch(root)
    given = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:  # for MkDocs too (its build date), for this build only
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        return _build(root, project, config_file, site_dir, strict)
    finally:
        if given is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = given


def _build(
    root: Path, project: Project | None, config_file: str, site_dir: str | None, strict: bool | None
) -> Path | None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from .publish import verify_site

    level = log.level
    counter = _Counter()
    added: list[logging.Handler] = [counter]
    if not log.handlers:  # not run from the mkdocs CLI: print its messages like it does, for this build
        handler = logging.StreamHandler()  # bound to the current sys.stderr
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        added.append(handler)
        log.setLevel(logging.INFO)
    # A logger raised above WARNING (as `mkdocs -q` does) would hide warnings from the
    # strict-mode count (mkdocs#4126): keep warnings visible for the length of the build.
    if log.getEffectiveLevel() > logging.WARNING:
        log.setLevel(logging.WARNING)
    for h in added:
        log.addHandler(h)
    try:
        from .mkdocs_plugin import FactSheetPlugin  # the plugin imports no stage of build

        cfg = (
            load_config(str(root / config_file))
            if strict is None
            else load_config(str(root / config_file), strict=strict)
        )
        plugin = cfg.plugins.get("factsheet")
        if isinstance(plugin, FactSheetPlugin) and project is not None:
            plugin.checked = project  # the plugin renders what was checked, without checking again
        final = Path(site_dir).resolve() if site_dir else Path(cfg.site_dir).resolve()
        problem = outside_project(root, root / config_file, final, Path(cfg.docs_dir).resolve(), site_dir is not None)
        if problem:
            raise Abort(problem)
        final.parent.mkdir(parents=True, exist_ok=True)
        with _locked(final):
            _recover(final)
            tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.new-", dir=final.parent))
            try:
                cfg.site_dir = str(tmp)
                build(cfg)
                if cfg.strict and counter.count:
                    raise Abort(f"Aborted with {counter.count} warnings in strict mode!")
                # the plugin checks the site in on_post_build; without it, check here
                problems = verify_site(tmp) if plugin is None else []
                if problems:
                    for p in problems:
                        log.error(p)
                    raise Abort(f"site check found {len(problems)} problems; nothing published")
                os.chmod(tmp, 0o755)
                _swap(tmp, final)
                return final
            finally:
                _remove(tmp)
    except Exception as e:  # noqa: BLE001 - any failure, ours or a plugin's, must leave site/ alone
        log.error(str(e) if isinstance(e, MkDocsException) else f"{type(e).__name__}: {e}")
        return None
    finally:
        for h in added:
            log.removeHandler(h)
        log.setLevel(level)


def recover_site(final: Path) -> None:
    """Repair what an interrupted build left beside `final`, even when no build follows."""
    if final.parent.is_dir():
        with _locked(final):
            _recover(final)


@contextlib.contextmanager
def _locked(final: Path) -> Iterator[None]:
    """One build at a time per site directory (a lock on its parent directory; no lock file)."""
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def _recover(final: Path) -> None:
    """Repair what an interrupted build left behind (called under the lock)."""
    old = sorted(final.parent.glob(f".{final.name}.old-*"))
    if old and not final.exists() and not final.is_symlink():
        os.replace(old[-1], final)  # a crash between the two renames: put the last site back
        old = old[:-1]
    for stale in [*old, *final.parent.glob(f".{final.name}.new-*")]:
        _remove(stale)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap(new: Path, final: Path) -> None:
    """Put `new` in place of `final`; afterwards `new` holds the previous site (or nothing)."""
    if not final.exists() and not final.is_symlink():
        os.replace(new, final)
    elif not _exchange(new, final):
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.rmdir(old)
        os.replace(final, old)
        os.replace(new, final)  # a crash before this line is repaired by _recover
        _remove(old)
