"""The embedded broker hands a consumer whole messages only (portal/core/broker.py)."""

import os
import threading

from kombu import Connection

from portal.core import broker


def folder_options(path) -> dict:
    return {"data_folder_in": str(path), "data_folder_out": str(path), "control_folder": str(path)}


def test_filesystem_urls_use_the_atomic_transport(tmp_path):
    broker.use_atomic_filesystem_transport()
    with Connection("filesystem://", transport_options=folder_options(tmp_path)) as conn:
        assert isinstance(conn.transport, broker.Transport)
        queue = conn.SimpleQueue("roundtrip")
        queue.put({"text": "区域化党建", "n": 1})
        message = queue.get(timeout=5)
        assert message.payload == {"text": "区域化党建", "n": 1}
        message.ack()
        queue.close()
    assert [name for name in os.listdir(tmp_path) if name.endswith(".msg")] == []


def test_a_message_file_is_never_seen_half_written(tmp_path):
    """A reader polling the folder while messages are put finds every `.msg` file complete."""
    payload = {"body": "x" * 4_000_000}
    stop = threading.Event()
    seen, partial = set(), []

    def watch() -> None:
        while not stop.is_set():
            for name in os.listdir(tmp_path):
                if not name.endswith(".watched.msg") or name in seen:
                    continue
                try:
                    with open(tmp_path / name, "rb") as f:
                        data = f.read()
                except FileNotFoundError:
                    continue
                seen.add(name)
                if not data.endswith(b"}"):
                    partial.append((name, len(data)))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with Connection(
            transport=broker.Transport, transport_options=folder_options(tmp_path)
        ) as conn:
            queue = conn.SimpleQueue("watched")
            for _ in range(20):
                queue.put(payload)
            queue.close()
    finally:
        stop.set()
        watcher.join()
    assert partial == []
    assert len(seen) > 0
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".incoming-")]
