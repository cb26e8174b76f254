"""What to read: files, folders (searched recursively) and .zip files, each named by its relative path.

Councils keep one folder per year with the same file names in each, so a file is named by its
path from the folder or zip given (``returns/2017-18/episodes.csv``), never by its base name alone.
Inside folders and zips only CSV, XML and Excel files (and zips, one level down) are read; other
files are listed as skipped. A zip is opened without trusting it: members are bounded in number
and in total size, and names that climb out of the archive are refused.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from iro_metrics.importer.report import ImportProblem, problem

READ_SUFFIXES: tuple[str, ...] = (".csv", ".xml", ".xlsx", ".xlsm", ".zip", ".txt")
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_TOTAL_BYTES = 2 * 1024**3  # what a zip may unpack to in all (a zip bomb stops here)


def _wanted(name: str) -> bool:
    parts = PurePosixPath(name).parts
    hidden = any(p.startswith((".", "__MACOSX", "~$")) for p in parts)
    return not hidden and name.lower().endswith(READ_SUFFIXES)


class _Budget:
    """What all the zips of one import may still unpack to, across every level of nesting."""

    def __init__(self, total: int) -> None:
        self.left = total


def _over_budget(name: str) -> ImportProblem:
    return problem(
        "zip_too_large",
        name,
        f"The zips together (zips inside zips included) unpack to more than {MAX_ZIP_TOTAL_BYTES // 1024**3} GB: "
        "refused before reading further; unpack them and import the folder.",
    )


def unpack_zip(
    name: str, data: bytes, depth: int = 0, budget: _Budget | None = None
) -> tuple[list[tuple[str, bytes]], list[ImportProblem]]:
    """The readable members of a zip, as (zip name/member path, content).

    One budget (MAX_ZIP_TOTAL_BYTES) covers the zip and every zip inside it; each member's declared
    size is checked against what is left before it is read, and the read stops at that size + 1 byte,
    so a member that lies about its size cannot unpack to more.
    """
    budget = budget if budget is not None else _Budget(MAX_ZIP_TOTAL_BYTES)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [], [problem("unreadable_file", name, f"The zip file cannot be opened ({exc}).")]
    if sum(m.file_size for m in members) > budget.left:  # declared sizes, before anything is read
        return [], [_over_budget(name)]
    if len(members) > MAX_ZIP_MEMBERS:
        return [], [
            problem(
                "unreadable_file",
                name,
                f"The zip holds more than {MAX_ZIP_MEMBERS:,} files; unpack it and import the folder.",
            )
        ]
    found: list[tuple[str, bytes]] = []
    problems: list[ImportProblem] = []
    for member in sorted(members, key=lambda m: m.filename):
        inner = member.filename.replace("\\", "/")
        if inner.startswith("/") or ".." in PurePosixPath(inner).parts:
            problems.append(
                problem("unreadable_file", f"{name}/{inner}", "A zip member's name leaves the archive: skipped.")
            )
            continue
        if not _wanted(inner):
            continue
        content, refused = _read_member(archive, member, f"{name}/{inner}", budget)
        if refused is not None:
            problems.append(refused)
        if content is None:
            if refused is not None and refused.rule != "unreadable_file":
                break  # over the budget, or lying about its size: read no further
            continue
        if not inner.lower().endswith(".zip"):
            found.append((f"{name}/{inner}", content))
        elif depth >= 1:
            problems.append(problem("unreadable_file", f"{name}/{inner}", "A zip inside a zip inside a zip: skipped."))
        else:
            more, more_problems = unpack_zip(f"{name}/{inner}", content, depth + 1, budget)
            found.extend(more)
            problems.extend(more_problems)
    return found, problems


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: str, budget: _Budget
) -> tuple[bytes | None, ImportProblem | None]:
    """A member's content, taken from the budget; or None and why not (unreadable, over the budget,
    or unpacking to more than it declares)."""
    if member.file_size > budget.left:
        return None, _over_budget(path)
    try:
        with archive.open(member) as stream:
            content = stream.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        return None, problem("unreadable_file", path, f"The zip member cannot be read ({exc}).")
    if len(content) > member.file_size:  # more than it declares: a crafted archive
        return None, problem("zip_too_large", path, "A zip member unpacks to more than it declares: refused.")
    budget.left -= len(content)
    return content, None


def expand_uploads(uploads: Sequence[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[ImportProblem]]:
    """Uploaded files with every zip replaced by its members."""
    found: list[tuple[str, bytes]] = []
    problems: list[ImportProblem] = []
    budget = _Budget(MAX_ZIP_TOTAL_BYTES)  # one for every zip of the import
    for name, data in uploads:
        if name.lower().endswith(".zip"):
            members, more = unpack_zip(name, data, budget=budget)
            found.extend(members)
            problems.extend(more)
        else:
            found.append((name, data))
    return found, problems


def _names(paths: list[tuple[Path, Path]]) -> list[str]:
    """Relative names for (file, base folder) pairs; a name given twice gets more of its path."""
    names = [file.relative_to(base).as_posix() for file, base in paths]
    for _ in range(8):
        repeated = {n for n in names if names.count(n) > 1}
        if not repeated:
            break
        longer = []
        for name, (file, _base) in zip(names, paths, strict=True):
            parts = file.parts[1:]  # without the root
            depth = min(len(PurePosixPath(name).parts) + 1, len(parts))
            longer.append("/".join(parts[-depth:]) if name in repeated else name)
        names = longer
    return names


def expand_paths(paths: Sequence[Path]) -> tuple[list[tuple[str, bytes]], list[ImportProblem]]:
    """Files, folders (recursively) and zips given on the command line, as (relative name, content)."""
    chosen: list[tuple[Path, Path]] = []
    problems: list[ImportProblem] = []
    for path in map(Path, paths):
        if path.is_dir():
            base = path.resolve().parent
            chosen.extend(
                (f.resolve(), base)
                for f in sorted(path.rglob("*"))
                if f.is_file() and _wanted(f.relative_to(path).as_posix())
            )
        else:
            chosen.append((path.resolve(), path.resolve().parent))
    chosen = list({file: (file, base) for file, base in reversed(chosen)}.values())[::-1]  # each file once
    sources: list[tuple[str, bytes]] = []
    for name, (file, _) in zip(_names(chosen), chosen, strict=True):
        try:
            data = file.read_bytes()
        except OSError as exc:
            problems.append(problem("unreadable_file", name, f"The file could not be opened ({exc.strerror or exc})."))
            continue
        sources.append((name, data))
    expanded, more = expand_uploads(sources)  # zips replaced by their members, as for uploads
    return expanded, problems + more
