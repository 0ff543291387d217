"""`pdl redact [--json]`: desensitize UTF-8 text lines from stdin, one output line per input line.

Lines are read and written in batches (1,000 by default), so a long stream starts coming out before it
has been read to the end. Lines end at `\\n` (a `\\r` before it is dropped); bytes that are not UTF-8
become U+FFFD. With `--json` each output line is an object with the redacted `text` and the detected
`spans` (`type`, `start`, `end`: offsets in code points of the input line, end exclusive).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterator


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("redact", help="desensitize text lines from stdin to stdout")
    parser.add_argument("--json", action="store_true", help="write one JSON object per line with the spans")
    parser.add_argument("--operator", choices=("tag", "mask"), default="tag", help="<ENTITY> tags or *** masks")
    parser.add_argument("--batch", type=int, default=1_000, help="lines per batch (default 1000)")
    parser.set_defaults(func=_redact)


def _batches(stream: io.TextIOBase, size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in stream:
        batch.append(line[:-1].removesuffix("\r") if line.endswith("\n") else line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _render(lines: list[str], operator: str, as_json: bool) -> list[str]:
    from desensitize.text import apply_spans, find_spans

    out = []
    for line, spans in zip(lines, find_spans(lines), strict=True):
        text = apply_spans(line, spans, operator) if spans else line
        if as_json:
            found = [{"type": s.entity, "start": s.start, "end": s.end} for s in spans]
            text = json.dumps({"text": text, "spans": found}, ensure_ascii=False)
        out.append(text)
    return out


def _redact(args: argparse.Namespace) -> int:
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="\n")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=False)
    try:
        for batch in _batches(stdin, max(1, args.batch)):
            stdout.writelines(line + "\n" for line in _render(batch, args.operator, args.json))
            stdout.flush()
    finally:
        stdout.detach()
        stdin.detach()
    return 0
