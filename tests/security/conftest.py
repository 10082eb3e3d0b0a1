"""Servers for the attacks: real `hrkg serve` processes on the bundled build, with limits
small enough that an attack meets them in seconds."""

from __future__ import annotations

import pytest

from tests.servers import Listener, Server, private_mb, rss_mb


@pytest.fixture(scope="session")
def guarded(built, tmp_path_factory):
    """Limits met by the attacks below; a timeout no real query here comes near."""
    s = Server(built[0], tmp_path_factory.mktemp("guarded"), "--timeout", "120",
               "--memory-mb", "512", "--max-result-mb", "16", "--buffer-mb", "48",
               "--idle-timeout", "3", "--max-connections", "700")
    yield s
    s.stop()


@pytest.fixture()
def listener():
    """The outside world: it must see no connection."""
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(autouse=True)
def stays_up_and_bounded(request):
    """After every attack: the server still runs, and every process's memory is bounded
    (front < 400 MB; engine < 1.8 GB, the store in memory; each worker's own memory below
    its 512 MB limit plus what the store's pages it touched cost)."""
    yield
    if "guarded" not in request.fixturenames:
        return
    server = request.getfixturevalue("guarded")
    assert server.proc.poll() is None, server.text()[-3000:]
    front, engine, *_ = server.pids()
    assert rss_mb(front) < 400, rss_mb(front)
    assert rss_mb(engine) < 1800, rss_mb(engine)
    for worker in server.workers():
        assert private_mb(worker) < 900, (worker, private_mb(worker))
