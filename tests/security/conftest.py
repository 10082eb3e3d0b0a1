"""Servers for the attacks: real `hrkg serve` processes on the bundled build, with limits
small enough that an attack meets them in seconds."""

from __future__ import annotations

import pytest

from tests.servers import Listener, Server


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
