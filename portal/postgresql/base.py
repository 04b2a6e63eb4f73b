"""Django's PostgreSQL backend with a health check that needs no round trip.

With persistent connections (CONN_MAX_AGE) and CONN_HEALTH_CHECKS, Django sends `SELECT 1`
before the first query of every request: a second round trip for a page that needs one
query (the article page), and under load as much waiting as the query itself. A server
that ends a connection (a restart, `pg_terminate_backend`, a crash) first sends an error
message or closes the socket, so an idle connection whose socket has nothing to read is
alive as far as a round trip could tell: it is used as is. Anything waiting on the socket
(the server's goodbye, an end of file, any unexpected message) gets Django's own check,
which replaces a dead connection before the request's first query.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.connection.closed
            and not _readable(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def _readable(connection) -> bool:
    """Whether the idle connection's socket has something to read (or is closed)."""
    try:
        fd = connection.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
        return bool(poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return True  # cannot tell: let Django's check decide
