"""Analysts in Jupyter: ``python -m book lab`` serves the book to JupyterLab, whose server reads
our MyST notebooks as notebooks (jupytext), runs the data notebook in a kernel, and saves an
article notebook back byte for byte."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from book.commands.lab import DEFAULT_VIEWERS

from .conftest import copy_book

ARTICLE = "notebooks/jinrong-zhaiwu/67202.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, root: Path, port: int, token: str) -> None:
        self.root, self.base, self.token = root, f"http://127.0.0.1:{port}", token

    def call(self, path: str, method: str = "GET", body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    root = copy_book(tmp_path_factory.mktemp("lab"))
    port, token = _free_port(), secrets.token_hex(16)
    log = open(root / "lab.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "book", "lab", "--port", str(port), "--no-browser", "--",
         f"--IdentityProvider.token={token}"],
        cwd=root, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    server = Lab(root, port, token)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.call("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((root / "lab.log").read_text(errors="replace")) from None
                time.sleep(0.3)
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


def test_the_server_listens_on_this_machine_only_and_asks_for_its_token(lab: Lab) -> None:
    assert lab.base.startswith("http://127.0.0.1:")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(lab.base + "/api/contents/notebooks", timeout=10)
    assert refused.value.code == 403


def test_myst_notebooks_open_as_notebooks_by_default(lab: Lab) -> None:
    # JupyterLab's document manager settings, as the front end receives them: .md and MyST files
    # open in jupytext's notebook view, not the text editor.
    plugin = lab.call("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    assert plugin["schema"]["properties"]["defaultViewers"]["default"] == DEFAULT_VIEWERS


def test_the_data_notebook_opens_through_the_contents_api_and_runs_in_a_kernel(lab: Lab) -> None:
    model = lab.call("/api/contents/notebooks/data.md?type=notebook&content=1")
    assert model["type"] == "notebook"
    nb = nbformat.from_dict(model["content"])
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 5 and "from book import catalog" in code[0].source
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(lab.root / "notebooks")}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    tables = [o for o in outputs if "text/html" in o.get("data", {}) and "<table" in o["data"]["text/html"]]
    charts = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(tables) >= 3 and len(charts) >= 3
    # The articles table is the book's: the seed article is in it, by its title.
    assert any("国美金融催收部在哪" in t["data"]["text/html"] for t in tables)


def test_an_article_notebook_saved_in_jupyterlab_is_written_back_byte_for_byte(lab: Lab) -> None:
    path = lab.root / ARTICLE
    before = path.read_bytes()
    model = lab.call(f"/api/contents/{ARTICLE}?type=notebook&content=1")
    assert model["type"] == "notebook" and len(model["content"]["cells"]) > 3
    lab.call(f"/api/contents/{ARTICLE}", "PUT", {"type": "notebook", "format": "json", "content": model["content"]})
    assert path.read_bytes() == before
