"""Search trials on a Dask cluster: same results as local, the client's log survives a kill,
a dead worker's trial is run again."""

import json
import os
import signal
import threading
import time

import pytest

from textclass import ConfigError
from textclass.cli import ExitCode, main
from textclass.experiments.search import SearchSettings, run_search

distributed = pytest.importorskip("distributed")

WORDS = ["good", "great", "fine", "bad", "awful", "poor"]
TEXTS = [f"{WORDS[i % 6]} item{i} thing" for i in range(36)]
LABELS = ["pos" if i % 6 < 3 else "neg" for i in range(36)]
SETTINGS = SearchSettings(model="logreg", space={"C": [0.1, 10.0]}, cv=3, grid=True)


@pytest.fixture(scope="module")
def client():
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=":0"
    ) as c:
        yield c


def fold_scores(result):
    return [(t["params"], t["fold_scores"]) for t in result["trials"]]


def test_two_trials_on_a_cluster_equal_the_local_search(client, tmp_path):
    local = run_search(SETTINGS, TEXTS, LABELS, tmp_path / "local")
    progress = []
    remote = run_search(
        SETTINGS, TEXTS, LABELS, tmp_path / "dask", cluster=client, on_progress=progress.append
    )
    assert fold_scores(remote) == fold_scores(local)
    assert remote["best"]["params"] == local["best"]["params"]
    assert [p.done for p in progress] == [0, 1, 2] and progress[-1].remaining == 0
    lines = (tmp_path / "dask" / "trials.jsonl").read_text().splitlines()
    assert len(lines) == 2  # written by the client, one line per trial


def test_a_search_on_a_tcp_scheduler_address(tmp_path):
    """An address, not a Client: the tcp:// address of a scheduler this test starts
    (its worker in this process), as `--cluster tcp://host:port` gives it."""
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", dashboard_address=":0"
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        remote = run_search(
            SETTINGS, TEXTS, LABELS, tmp_path / "tcp", cluster=cluster.scheduler_address
        )
        assert "trial" in cluster.scheduler.task_prefixes
    assert fold_scores(remote) == fold_scores(run_search(SETTINGS, TEXTS, LABELS, tmp_path / "l"))


def test_a_killed_client_resumes_from_its_log(client, tmp_path):
    def killed(p):
        if p.last is not None:
            raise KeyboardInterrupt  # the client dies right after logging its first trial

    with pytest.raises(KeyboardInterrupt):
        run_search(SETTINGS, TEXTS, LABELS, tmp_path, cluster=client, on_progress=killed)
    assert len((tmp_path / "trials.jsonl").read_text().splitlines()) == 1
    progress = []
    resumed = run_search(
        SETTINGS, TEXTS, LABELS, tmp_path, resume=True, cluster=client, on_progress=progress.append
    )
    assert progress[0].done == 1 and progress[-1].done == 2
    assert fold_scores(resumed) == fold_scores(run_search(SETTINGS, TEXTS, LABELS, tmp_path / "l"))
    keys = [
        json.loads(line)["key"] for line in (tmp_path / "trials.jsonl").read_text().splitlines()
    ]
    assert sorted(keys) == sorted(set(keys)) and len(keys) == 2  # nothing repeated


def test_cluster_options_are_checked(tmp_path, capsys):
    with pytest.raises(ConfigError, match="with --cluster give local:N"):
        run_search(SETTINGS, TEXTS, LABELS, tmp_path, jobs=2, cluster="local:2")
    assert main(["search", "x", "-p", "C=1", "--cluster", "nowhere"]) == ExitCode.USAGE
    assert "expected local, local:N or a scheduler address" in capsys.readouterr().err
    assert main(["search", "x", "-p", "C=1", "--cluster", "local:0"]) == ExitCode.USAGE


def test_cli_search_on_one_local_worker_process_equals_the_local_search(tmp_path, monkeypatch):
    """--cluster local:1: a real worker process (spawned, importing the toolkit itself)
    runs the two trials; the results equal a search without a cluster."""
    from contextlib import contextmanager

    from textclass import cluster as clusters

    real_connect, seen = clusters.connect, {}

    @contextmanager
    def noting(address):
        with real_connect(address) as client:
            yield client
            if isinstance(address, str):  # the CLI's own cluster, before it closes
                seen["workers"] = list(client.run(os.getpid).values())
                seen["prefixes"] = client.run_on_scheduler(
                    lambda dask_scheduler: sorted(dask_scheduler.task_prefixes)
                )

    monkeypatch.setattr(clusters, "connect", noting)
    csv = tmp_path / "d.csv"
    csv.write_text("text,label\n" + "\n".join(f"{t},{y}" for t, y in zip(TEXTS, LABELS)))
    base = ["search", str(csv), "--model", "logreg", "-p", "C=0.1,10", "--grid", "--cv", "3"]
    assert main([*base, "--cluster", "local:1", "--out", str(tmp_path / "dask")]) == ExitCode.OK
    assert main([*base, "--out", str(tmp_path / "here")]) == ExitCode.OK
    ours, theirs = (
        json.loads((tmp_path / d / "results.json").read_text())["groups"]["all"]
        for d in ("dask", "here")
    )
    assert len(ours["trials"]) == 2
    assert ours["trials"] == [
        {**t, "fit_seconds": o["fit_seconds"]} for t, o in zip(theirs["trials"], ours["trials"])
    ]
    assert ours["test_score"] == theirs["test_score"]
    assert len(seen["workers"]) == 1 and seen["workers"][0] != os.getpid()  # another process
    assert "trial" in seen["prefixes"]  # and the trials were its tasks


@pytest.mark.slow  # two worker processes start and import the toolkit: ~20 s
def test_cli_search_on_two_local_workers_equals_jobs_2(tmp_path, shared_data):
    base = ["search", "uci-sentiment:yelp", "--model", "logreg", "-p", "C=0.5,1,2", "--grid"]
    base += ["--cv", "3"]
    assert main([*base, "--jobs", "2", "--out", str(tmp_path / "jobs")]) == ExitCode.OK
    assert main([*base, "--cluster", "local:2", "--out", str(tmp_path / "dask")]) == ExitCode.OK
    ours, theirs = (
        json.loads((tmp_path / d / "results.json").read_text())["groups"]["all"]
        for d in ("dask", "jobs")
    )
    assert ours["trials"] == [
        {**t, "fit_seconds": o["fit_seconds"]} for t, o in zip(theirs["trials"], ours["trials"])
    ]
    assert ours["test_score"] == theirs["test_score"]


@pytest.mark.slow  # Keras trials in two worker processes, one killed mid-trial: ~60 s
def test_a_worker_killed_mid_search_loses_no_trial(tmp_path):
    settings = SearchSettings(
        model="embedding",
        space={"embedding_dim": [8, 16, 24, 32]},
        cv=2,
        grid=True,
        estimator_params={"epochs": 15, "batch_size": 4},
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        outcome = {}
        thread = threading.Thread(
            target=lambda: outcome.update(
                result=run_search(settings, TEXTS, LABELS, tmp_path, cluster=client)
            )
        )
        thread.start()
        deadline = time.monotonic() + 120
        while not any(client.processing().values()):  # wait for a trial to start
            assert time.monotonic() < deadline, "no trial started"
            time.sleep(0.2)
        busy = next(addr for addr, tasks in client.processing().items() if tasks)
        time.sleep(1.0)  # well inside the trial (a trial takes seconds)
        pid = client.run(os.getpid, workers=[busy])[busy]
        os.kill(pid, signal.SIGKILL)
        thread.join(timeout=300)
    assert "result" in outcome, "the search did not finish"
    keys = [
        json.loads(line)["key"] for line in (tmp_path / "trials.jsonl").read_text().splitlines()
    ]
    assert len(keys) == 4 == len(set(keys))
    assert [t["params"]["embedding_dim"] for t in outcome["result"]["trials"]] == [8, 16, 24, 32]
