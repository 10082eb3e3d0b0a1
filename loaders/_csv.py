"""Reading the CSV files of the datasets as they are: encoding, line ends, truncation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from hrkg.errors import LoaderError

__all__ = ["decode", "read_csv"]


def decode(path: Path, data: bytes, declared: str) -> tuple[str, str]:
    """Decode ``data``: as UTF-8 when it is valid UTF-8 with non-ASCII bytes (a re-saved
    file), else in the ``declared`` encoding. Returns ``(text, encoding used)``."""
    if not data:
        raise LoaderError(path, "the file is empty; expected a CSV header and rows")
    if b"\x00" in data[:4096]:
        raise LoaderError(path, "the file is binary (NUL bytes); expected CSV text")
    if declared.lower().replace("-", "") in ("utf8", "utf8sig"):
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + data[: exc.start].count(b"\r") + 1
            raise LoaderError(
                path,
                f"not valid UTF-8 at byte {exc.start} ({exc.reason}); expected UTF-8 text",
                line,
            ) from None
    try:
        text = data.decode("utf-8")
        if any(b > 0x7F for b in data):
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    return data.decode(declared), declared


def read_csv(
    path: Path,
    columns: list[str],
    encoding: str,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` for each row after the header; CR, LF and CRLF line
    ends all work. A wrong header or a file cut inside a quoted field is a LoaderError;
    a row with the wrong number of fields is yielded as it is, for the caller to report."""
    text, _ = decode(path, path.read_bytes(), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise LoaderError(path, "no header row; expected " + ",".join(columns), 1) from None
    except csv.Error as exc:
        raise LoaderError(path, f"unreadable header ({exc})", 1) from None
    header = [h.strip() for h in header]
    if header[: len(columns)] != columns:
        raise LoaderError(path, f"unexpected header {header}; expected {columns}", 1)
    line = 1
    try:
        for fields in reader:
            line = reader.line_num
            if fields == []:
                continue
            yield line, fields
    except csv.Error as exc:
        raise LoaderError(
            path, f"the file ends inside a quoted field ({exc}); is it truncated?", reader.line_num
        ) from None
