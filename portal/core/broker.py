"""The embedded broker: kombu's filesystem transport, with messages that appear whole.

kombu writes a message file in place (open, lock, write) while a consumer takes any `*.msg` file it
lists without looking at the lock, so a worker polling at the wrong moment moves away a file that is
still empty and dies on it (`JSONDecodeError` in `Channel._get`). Here a message is written under a
hidden name in the same folder and renamed into place, which is atomic on POSIX: a consumer sees the
whole message or nothing.
"""

import os
import tempfile
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue` under the name kombu's consumer looks for, all at once."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        folder = self.data_folder_out
        try:
            # A leading dot keeps the partial file out of every queue's listing.
            fd, partial = tempfile.mkstemp(prefix=".incoming-", dir=folder)
            with os.fdopen(fd, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, os.path.join(folder, name))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def use_atomic_filesystem_transport() -> None:
    """Make `filesystem://` broker URLs mean this transport in this process."""
    TRANSPORT_ALIASES["filesystem"] = f"{__name__}:Transport"
