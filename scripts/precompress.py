"""Copy a directory of static files for nginx's ``gzip_static``: every file, and beside each
compressible one its ``.gz``, written once when serving starts. Copies, readable by all, because
nginx's workers run as another user (``nobody`` under root) that may not read the originals.

    python scripts/precompress.py SOURCE DEST [NAME ...]

With names, only those files at the top of SOURCE (the page and its icon, from Streamlit's
``static`` folder, whose ``static/`` subfolder is copied on its own).

nginx then sends the compressed copy to browsers that accept it without compressing anything
per request (Streamlit's frontend is ~8 MB per first visit; compressing it on the fly cost nginx
~0.1 s of CPU per browser).
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
from pathlib import Path

COMPRESSIBLE = {".js", ".mjs", ".css", ".json", ".html", ".svg", ".map", ".txt", ".ttf"}
MIN_BYTES = 1024


def mirror(source: Path, dest: Path, names: list[str] | None = None) -> tuple[int, int, int]:
    """Files copied, files compressed, bytes saved."""
    copied = compressed = saved = 0
    walk = [(str(source), [], names)] if names else os.walk(source)
    for root, _dirs, files in walk:
        out = dest / Path(root).relative_to(source)
        out.mkdir(parents=True, exist_ok=True)
        out.chmod(0o755)
        for name in files:
            src = Path(root) / name
            shutil.copyfile(src, out / name)
            (out / name).chmod(0o644)
            copied += 1
            size = src.stat().st_size
            if src.suffix.lower() in COMPRESSIBLE and size >= MIN_BYTES:
                data = gzip.compress(src.read_bytes(), compresslevel=6, mtime=0)
                if len(data) < size:
                    (out / f"{name}.gz").write_bytes(data)
                    (out / f"{name}.gz").chmod(0o644)
                    compressed += 1
                    saved += size - len(data)
    return copied, compressed, saved


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python scripts/precompress.py SOURCE DEST [NAME ...]", file=sys.stderr)
        return 2
    source, dest, names = Path(argv[0]), Path(argv[1]), argv[2:]
    if not source.is_dir():
        print(f"precompress: {source} is not a directory", file=sys.stderr)
        return 1
    missing = [n for n in names if not (source / n).is_file()]
    if missing:
        print(f"precompress: not in {source}: {', '.join(missing)}", file=sys.stderr)
        return 1
    copied, compressed, saved = mirror(source, dest, names)
    print(f"{dest.name}: {copied} files, {compressed} compressed ({saved / 1e6:.1f} MB less to send)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
