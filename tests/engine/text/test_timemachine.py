"""The real download code against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gru_studio.engine.config import CorpusConfig
from gru_studio.engine.errors import CorpusError
from gru_studio.engine.text import timemachine
from gru_studio.engine.text.corpus import load_corpus
from tests.conftest import TIME_MACHINE_FILE, needs_time_machine


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[callable]:
    """Serve bytes at http://127.0.0.1:PORT/timemachine.txt; returns the URL."""
    servers: list[http.server.HTTPServer] = []

    def start(body: bytes) -> str:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/timemachine.txt"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def no_local_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(timemachine.DATA_DIR_ENV, raising=False)  # unset already on a fresh clone


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/timemachine.txt"


@needs_time_machine  # the only test here that needs the real text: the server must serve it
def test_good_download_is_verified_cached_and_reused(serve, no_local_copy, monkeypatch) -> None:
    url = serve(TIME_MACHINE_FILE.read_bytes())
    path = timemachine.locate(url=url)
    assert path == timemachine.user_cache_dir() / "timemachine.txt"
    assert timemachine.sha1_of(path.read_bytes()) == timemachine.SHA1
    assert list(path.parent.glob("*.tmp")) == []
    # Offline now: the cached copy is used without any network.
    monkeypatch.setenv(timemachine.URL_ENV, closed_port_url())
    assert len(load_corpus(CorpusConfig()).tokens) == 10_000


def test_wrong_checksum_saves_nothing(serve, no_local_copy) -> None:
    url = serve(b"The Time Machine, but not quite.\n" * 100)
    with pytest.raises(CorpusError, match="wrong checksum") as info:
        timemachine.locate(url=url)
    assert timemachine.SHA1 in str(info.value)
    assert not (timemachine.user_cache_dir() / "timemachine.txt").exists()


def test_server_down_says_how_to_get_the_file(no_local_copy) -> None:
    with pytest.raises(CorpusError) as info:
        timemachine.locate(url=closed_port_url())
    message = str(info.value)
    assert "could not be downloaded" in message and "\n" not in message
    assert "--corpus sample" in message  # the exact flag to type
    assert "GRU_STUDIO_DATA_DIR" in message and str(timemachine.user_cache_dir()) in message


def test_corrupt_local_copy_is_an_error_not_a_silent_retrain(tmp_path, monkeypatch) -> None:
    (tmp_path / "timemachine.txt").write_text("truncated")
    monkeypatch.setenv(timemachine.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(CorpusError, match="not the book's Time Machine"):
        load_corpus(CorpusConfig())


def test_no_download_when_not_allowed(no_local_copy) -> None:
    with pytest.raises(CorpusError, match="not been downloaded"):
        timemachine.locate(allow_download=False)
