"""Reading the real broker in tests: the messages the code under test published."""

import time

from portal.celery_app import app


def take_from_broker(task_name: str, args: list, timeout: float = 5.0):
    """Consume (and acknowledge) the message of `task_name(*args)` from the default queue; other
    messages go back."""
    others = []
    deadline = time.monotonic() + timeout
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        try:
            while True:
                try:
                    message = queue.get_nowait()
                except queue.Empty:
                    assert time.monotonic() < deadline, f"no {task_name}{args} in the broker"
                    time.sleep(0.05)
                    continue
                if message.headers.get("task") == task_name and message.payload[0] == args:
                    message.ack()
                    return message
                others.append(message)
        finally:
            for message in others:
                message.requeue()
            queue.close()
