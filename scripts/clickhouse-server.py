#!/usr/bin/env python3
"""A ClickHouse server for tracedock's ClickHouse store tests, from the engine setup-dev.sh
fetches (.tools/clickhouse/libchdb.so, npm @chdb/lib-linux-x64-gnu: ClickHouse built as a
library). It runs clickhouse-local with HTTP (and optionally native TCP) listeners on
127.0.0.1, then holds the process with a query that sleeps; requests are served beside it.
SIGTERM stops it. No user or password: loopback only, for tests.

usage: clickhouse-server.py LIBCHDB DATA_DIR HTTP_PORT [TCP_PORT]
"""
import ctypes
import os
import sys


class QueryResult(ctypes.Structure):
    # chdb's local_result_v2 (its query_stable_v2 API).
    _fields_ = [
        ("buf", ctypes.c_char_p), ("len", ctypes.c_size_t), ("_vec", ctypes.c_void_p),
        ("elapsed", ctypes.c_double), ("rows_read", ctypes.c_uint64), ("bytes_read", ctypes.c_uint64),
        ("error_message", ctypes.c_char_p),
    ]


def main() -> int:
    if len(sys.argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    lib_path, data_dir, http_port = sys.argv[1:4]
    tcp_port = sys.argv[4] if len(sys.argv) == 5 else None
    os.makedirs(data_dir, exist_ok=True)
    lib = ctypes.CDLL(lib_path)
    lib.query_stable_v2.restype = ctypes.POINTER(QueryResult)
    listen = "SYSTEM START LISTEN HTTP;" + (" SYSTEM START LISTEN TCP;" if tcp_port else "")
    # Ten years of one-second sleeps: the server lives until it is signalled.
    hold = ("SELECT sleepEachRow(1) FROM numbers(315360000) "
            "SETTINGS max_block_size=1, function_sleep_max_microseconds_per_block=0 FORMAT Null")
    args = ["clickhouse", f"--path={data_dir}", "--listen_host=127.0.0.1", f"--http_port={http_port}"]
    if tcp_port:
        args.append(f"--tcp_port={tcp_port}")
    args.append(f"--query={listen} {hold}")
    argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
    result = lib.query_stable_v2(len(args), argv)
    error = result.contents.error_message
    sys.stderr.write(f"clickhouse-server: {error.decode() if error else 'stopped'}\n")
    return 1 if error else 0


if __name__ == "__main__":
    sys.exit(main())
