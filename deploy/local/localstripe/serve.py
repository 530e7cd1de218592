"""Run localstripe on one address, with its store in a file of ours.

Usage: python serve.py HOST PORT STORE_FILE

localstripe's own CLI binds every interface and keeps its store in /tmp/localstripe.pickle, rewritten
after every change and reloaded at start. Here: the aiohttp app on HOST:PORT only, and the same
write-through store in STORE_FILE (written atomically), reloaded at start, so Stripe objects survive a
restart just as the PostgreSQL rows that name them do. `DELETE /_config/data` empties it.
"""

import os
import pickle
import sys

from aiohttp import web

import localstripe.resources as resources
from localstripe.server import app

host, port, store_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def dump_to_disk(self):
    tmp = store_file + '.tmp'
    with open(tmp, 'wb') as f:
        pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, store_file)


def try_load_from_disk(self):
    try:
        with open(store_file, 'rb') as f:
            old = pickle.load(f)
    except FileNotFoundError:
        return
    except Exception as e:  # e.g. written by another localstripe version
        print(f'localstripe: ignoring unreadable store {store_file}: {e!r}', file=sys.stderr)
        return
    self.clear()
    self.update(old)
    print(f'localstripe: loaded {len(self)} objects from {store_file}', file=sys.stderr)


resources.Store.dump_to_disk = dump_to_disk
resources.Store.try_load_from_disk = try_load_from_disk
resources.store.try_load_from_disk()
web.run_app(app, host=host, port=port)
