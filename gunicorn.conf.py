"""gunicorn's settings for the portal, read from the working directory (`gunicorn portal.wsgi`).

The command line (Dockerfile, docker-compose.yml, scripts/bench.py) names the address and workers.
"""

import gc


def post_worker_init(worker):
    # Django, DRF and the URL patterns are loaded now and live as long as the worker. Moving them out
    # of the garbage collector's sight keeps its full passes short: without this, a full pass over the
    # whole heap every few thousand allocations is a 20-50 ms pause in the middle of some request
    # (docs/benchmarks.md, p99).
    gc.freeze()
