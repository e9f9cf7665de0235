"""The output folder is ours alone: which folders a command may publish into, checked before any work.

A command publishes only into a folder that does not exist, is empty, or holds a dtoc publication of the same
kind (recognised by its manifest.json). Everything else is refused with one line saying why and what to do:
a folder holding other files, the data folder or a folder inside it (or one that holds it), a file, a symlink,
the current folder or one above it, a path whose parent cannot be written, a name too long for the sibling
entries the transaction needs.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from dtoc.errors import DtocError
from dtoc.ingest.inputs import sha256_of
from dtoc.ingest.text import printable

MANIFEST_FILE = "manifest.json"
INDEX_FILE = "index.csv"  # written by dtoc run: every file of the publication with its sha256
# The longest sibling name the transaction writes is ".<name>.staging-<pid>" (pid up to 7 digits).
SIBLING_OVERHEAD = len("..staging-") + 7
NAME_MAX = 255


def read_manifest(folder: Path) -> dict | None:
    """The publication's manifest.json as a dict, None if there is none that can be read."""
    try:
        record = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


class OutputRefused(DtocError):
    """The output folder named is not one dtoc may publish into."""


def read_publication_manifest(folder: Path) -> dict | None:
    """The dtoc manifest of the publication in folder, None if there is no manifest.json; OutputRefused when
    one is there but is not a readable dtoc manifest."""
    manifest = folder / MANIFEST_FILE
    if not manifest.is_file():
        return None
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if not isinstance(record, dict) or not isinstance(record.get("outputs"), list):
        record = record_from_index(folder)
    if record is None:
        raise OutputRefused(
            f"{folder} holds a manifest.json that is not a readable dtoc manifest, so it is not "
            "known to be a dtoc publication: nothing was changed. Choose another --out, or remove "
            "the folder yourself if it is a damaged dtoc publication"
        )
    return record


def record_from_index(folder: Path) -> dict | None:
    """A damaged manifest.json in a folder whose index.csv (which only `dtoc run` writes) lists exactly the files
    the folder holds: still a dtoc expectations publication (a damaged previous publication never blocks a run).
    None when the index is absent or does not account for every file."""
    index = folder / INDEX_FILE
    try:
        with index.open(newline="", encoding="utf-8") as handle:
            listed = {row["path"] for row in csv.DictReader(handle)}
    except (OSError, KeyError, ValueError, csv.Error):
        return None
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST_FILE, INDEX_FILE}
    if not listed or present != listed:
        return None
    return {"kind": "expectations", "outputs": [{"path": path} for path in sorted(listed | {INDEX_FILE})]}


def publication_kind(folder: Path) -> str | None:
    """The kind of dtoc publication in folder ('expectations', 'monitoring', ...), or None if it holds none."""
    record = read_publication_manifest(folder)
    return None if record is None else manifest_kind(record)


def manifest_kind(record: dict) -> str:
    """The kind of publication a dtoc manifest describes (monitoring manifests before 'kind' name a year)."""
    return str(record.get("kind") or ("monitoring" if "year" in record else "expectations"))


def listed_outputs(record: dict) -> dict[str, str | None]:
    """path -> sha256 (None where the record has none) of every file a manifest lists, the manifest included."""
    listed: dict[str, str | None] = {MANIFEST_FILE: None}
    for output in record["outputs"]:
        if isinstance(output, dict):
            listed[Path(str(output.get("path"))).as_posix()] = output.get("sha256")
    return listed


def entries(folder: Path) -> tuple[list[str], list[str], list[str]]:
    """Every entry under folder, links never followed: (files, folders, symbolic links), relative paths."""
    files, folders, links = [], [], []
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root).relative_to(folder)
        for name in [*dirs, *names]:
            path, relative = Path(root) / name, (base / name).as_posix()
            if path.is_symlink():
                links.append(relative)
            elif path.is_dir():
                folders.append(relative)
            else:
                files.append(relative)
    return sorted(files), sorted(folders), sorted(links)


def files_not_published(folder: Path, record: dict) -> list[str]:
    """Files in a publication folder that its manifest does not list (a user's files saved inside it)."""
    listed = listed_outputs(record)
    return [path for path in entries(folder)[0] if path not in listed]


def changes_since_published(folder: Path, record: dict) -> list[str]:
    """What in a publication differs from what dtoc wrote there: a listed file whose content changed (its sha256
    is not the manifest's), a folder no listed file needs, a symbolic link. (A listed file that was deleted loses
    nothing when the publication is replaced, so it is not one of them.)"""
    listed = listed_outputs(record)
    files, folders, links = entries(folder)
    needed = {parent.as_posix() for path in listed for parent in Path(path).parents if parent != Path(".")}
    edited = [f"{path} (edited)" for path in files if listed.get(path) and sha256_of(folder / path) != listed[path]]
    return (
        edited
        + [f"{path}/ (a folder)" for path in folders if path not in needed]
        + [f"{path} (a link)" for path in links]
    )


def is_within(path: Path, folder: Path) -> bool:
    """True when path is folder or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def check_not_special(out: Path, given: Path, protected: dict[str, Path]) -> None:
    """Refuse symlinks, files, the current folder and its parents, and the protected folders (data, inputs)."""
    if given.is_symlink() or out.is_symlink():
        raise OutputRefused(
            f"--out {given} is a symbolic link; name a real folder (dtoc never publishes through "
            "a link, so that nothing it points at is replaced)"
        )
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"--out {given} is a file, not a folder; name a new or empty folder")
    resolved, here = out.resolve(), Path.cwd().resolve()
    if is_within(here, resolved):
        raise OutputRefused(
            f"--out {given} is the current folder or a folder above it; name a new folder inside it instead"
        )
    for role, folder in protected.items():
        folder = folder.resolve()
        if is_within(resolved, folder) or is_within(folder, resolved):
            raise OutputRefused(
                f"--out {given} is or overlaps the {role} {folder}; outputs go to a folder of their own, outside it"
            )


def check_not_inside_a_publication(out: Path, given: Path) -> None:
    """A folder inside a dtoc publication (also through a symbolic link) would be lost when that publication is
    replaced, and would stop the next run that replaces it: refused."""
    for folder in out.resolve().parents:
        try:
            inside = read_publication_manifest(folder) is not None
        except OutputRefused:
            inside = True  # a manifest.json dtoc cannot read: stay out of that folder too
        if inside:
            raise OutputRefused(
                f"--out {given} lies inside the dtoc publication {folder}, which a later run "
                "replaces as a whole; name a folder outside it"
            )


def check_parent_writable(out: Path, given: Path) -> None:
    """The nearest existing folder above out must be writable, and the name short enough for its siblings."""
    if len(os.fsencode(out.name)) + SIBLING_OVERHEAD > NAME_MAX:
        raise OutputRefused(
            f"--out {given}: the folder name is {len(os.fsencode(out.name))} bytes long; dtoc needs "
            f"at most {NAME_MAX - SIBLING_OVERHEAD} to write the staging folder beside it"
        )
    existing = next(p for p in (out.parent, *out.parent.parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise OutputRefused(
            f"--out {given}: cannot write in {existing} (permission denied); choose a folder you can write to"
        )


def check_replaceable(out: Path, given: Path, kind: str, force: bool = False) -> None:
    """An existing folder must be empty or a publication of this kind that dtoc can replace: holding no file
    dtoc did not write, and (unless force) nothing changed since it was published."""
    if not out.is_dir():
        return
    if not any(out.iterdir()):
        return
    record = read_publication_manifest(out)
    if record is None:
        raise OutputRefused(
            f"--out {given} holds files that dtoc did not publish (no manifest.json); dtoc "
            "publishes only into a new folder, an empty one, or one of its own publications. "
            "Nothing was changed; name another folder"
        )
    found = manifest_kind(record)
    if found != kind:
        raise OutputRefused(f"--out {given} holds a dtoc {found} publication, not {kind}; name another folder")
    strangers = files_not_published(out, record)
    if strangers:
        raise OutputRefused(
            f"--out {given} holds {strangers[0]}, which dtoc did not publish there "
            f"({len(strangers)} such file(s)); a publication is replaced as a whole, so move them out "
            "first or name another folder (--force does not replace files dtoc did not write)"
        )
    changed = changes_since_published(out, record)
    if changed and not force:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        raise OutputRefused(
            f"--out {given} was changed since dtoc published it: {shown}; a run replaces the publication as a "
            "whole, so move what you want to keep out of it, or pass --force to replace it"
        )
    unwritable = [p for p in (out, *(d for d in out.iterdir() if d.is_dir())) if not os.access(p, os.W_OK)]
    if unwritable:
        raise OutputRefused(
            f"--out {given}: {unwritable[0]} is read-only, so the last publication could not be "
            "replaced; make it writable or choose another folder"
        )


def check_output_folder(given: Path, kind: str, protected: dict[str, Path] | None = None, force: bool = False) -> Path:
    """The absolute output folder for `given`, once every rule above holds; OutputRefused otherwise.
    protected maps a role ('data folder') to a folder the output must neither be, lie in, nor contain; force
    allows replacing a publication whose files were changed since it was published."""
    out = Path(os.path.abspath(given))
    try:
        str(out).encode("utf-8")
    except UnicodeEncodeError:
        raise OutputRefused(
            f"--out {printable(given)}: the folder's name is not valid UTF-8 (the escaped bytes are from another "
            "character set), so dtoc could not record it in its UTF-8 manifest; name another folder"
        ) from None
    if out.name in ("", ".", ".."):
        raise OutputRefused(f"--out {given} does not name a folder of its own; name a new folder")
    check_not_special(out, given, {role: Path(folder) for role, folder in (protected or {}).items()})
    check_not_inside_a_publication(out, given)
    check_parent_writable(out, given)
    check_replaceable(out, given, kind, force)
    return out
