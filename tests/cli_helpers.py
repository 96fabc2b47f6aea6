"""What the command-line test modules share: the one stderr line a bad input must give."""

from __future__ import annotations

import pytest


def err_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]
