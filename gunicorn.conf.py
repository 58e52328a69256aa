"""gunicorn's settings for the portal, read from the working directory (`gunicorn portal.wsgi`).

Each comes from the environment (docs/configuration.md, "gunicorn"); a flag on the command line
(scripts/bench.py names its own address and workers) still wins over this file.
"""

import gc
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 1)
# A request still running after this many seconds is killed and its worker replaced.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Each worker is replaced after about this many requests (0: never), the jitter spreading the
# restarts so that the workers are not replaced all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# Behind the proxy, the client's address comes in X-Forwarded-For (TRUSTED_PROXY_COUNT reads it);
# gunicorn itself needs to trust only the proxy's address for its own access log.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl): a second
# gunicorn on the host (a replica, the benchmark) would take it over. Nothing here uses it.
control_socket_disable = True


def post_worker_init(worker):
    # Django, DRF and the URL patterns are loaded now and live as long as the worker. Moving them out
    # of the garbage collector's sight keeps its full passes short: without this, a full pass over the
    # whole heap every few thousand allocations is a 20-50 ms pause in the middle of some request
    # (docs/benchmarks.md, p99).
    gc.freeze()


def child_exit(server, worker):
    # With PROMETHEUS_MULTIPROC_DIR (docs/operations.md, "Metrics and logs") every worker keeps its
    # metrics in files there and /metrics adds them up; a worker that is gone is marked dead, so that
    # its live gauges drop out (its counters stay in the sums).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
