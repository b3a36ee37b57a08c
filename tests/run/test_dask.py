"""`build --dask`: extraction on a Dask cluster gives exactly the local build's output."""

from __future__ import annotations

import filecmp

import pytest

from conftest import needs_model

pytest.importorskip("distributed")

ARTICLES = {
    "d1": "Rebels attacked the town of Kidal on Monday. The army of Mali said ten soldiers were killed.",
    "d2": "The United Nations condemned the attack in Kidal. Antonio Guterres called for talks.",
    "d3": "Protesters marched in Bamako on Tuesday. Police arrested twenty people.",
}


@needs_model
def test_dask_build_equals_local_build(tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    from kgbuild.run import build as build_module
    from kgbuild.run import distributed as kg_distributed
    from kgbuild.run import parallel

    corpus = tmp_path / "in"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
    build_module.build([corpus], tmp_path / "local", formats=("nq", "ttl"), html=False)

    monkeypatch.setattr(parallel, "PARTITION_SIZE", 1)  # several partitions, so both workers merge
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        real = kg_distributed.run_dask
        monkeypatch.setattr(kg_distributed, "run_dask", lambda *a, **kw: real(*a, **{**kw, "client": client}))
        summary = build_module.build(
            [corpus], tmp_path / "dask", formats=("nq", "ttl"), html=False, dask="tcp://unused:0"
        )
        assert len(client.scheduler_info()["workers"]) == 2
    assert summary.articles == len(ARTICLES)
    for name in ("graph.nq", "graph.ttl", "annotations.jsonl"):
        assert filecmp.cmp(tmp_path / "local" / name, tmp_path / "dask" / name, shallow=False), name
    assert not list((tmp_path / "dask").glob(".kgbuild-runs-*"))  # the shared run directory is removed
