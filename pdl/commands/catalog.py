"""`pdl catalog validate|list`: check the catalog and show what is declared."""

from __future__ import annotations

import argparse
from pathlib import Path

from catalog.loader import validate_catalog
from catalog.vocabulary import OPEN_LABELS, SHARE_LABELS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("catalog", help="validate or list the dataset catalog")
    actions = parser.add_subparsers(dest="action", required=True)
    for name, func, text in (("validate", _validate, "report every invalid entry"), ("list", _list, "list datasets")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--dir", type=Path, default=None, help="catalog folder (default: PDL_CATALOG or built-in)")
        action.set_defaults(func=func)


def _validate(args: argparse.Namespace) -> int:
    from desensitize.policy import override_problems

    datasets, issues = validate_catalog(args.dir)
    problems = [str(i) for i in issues]
    problems += [f"{d.id}.yaml: field 'policy_overrides' {p}" for d in datasets for p in override_problems(d)]
    for problem in problems:
        print(f"error: {problem}")
    print(f"{len(datasets)} dataset(s) read, {len(problems)} problem(s)")
    return 1 if problems else 0


def _list(args: argparse.Namespace) -> int:
    datasets, issues = validate_catalog(args.dir)
    for ds in sorted(datasets, key=lambda d: d.id):
        print(
            f"{ds.id:<28} {ds.provider.name:<16} {SHARE_LABELS[ds.share.klass]:<6} "
            f"{OPEN_LABELS[ds.open.klass]:<6} {ds.update_frequency.value:<4} {ds.title}"
        )
    if issues:
        print(f"({len(issues)} problem(s); run `pdl catalog validate`)")
    return 0
