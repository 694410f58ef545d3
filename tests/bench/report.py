"""The bench's report: tables, per-round ratios and where we stand against the targets."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from .config import CLIENTS, IMPORTS, OURS, Result, Settings


def fmt(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def cpu_us(r: Result) -> float | None:
    """Client CPU time per request (µs)."""
    return r["cpu_s"] / r["requests"] * 1e6 if "cpu_s" in r else None


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A title and columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    return ["", title, line(headers), *(line(row) for row in rows)]


def ratios(metric: dict[str, float | None]) -> dict[str, float | None]:
    """A metric's ratios of ours to the floors and of the peers to ours."""
    ours = metric.get(OURS)
    return {
        "ours/raw websockets": ratio(ours, metric.get("websockets")),
        "ours/raw httpx-ws": ratio(ours, metric.get("httpx_ws")),
        "pybit/ours": ratio(metric.get("pybit"), ours),
        "node/ours": ratio(metric.get("node"), ours),
        "ours plain session/ours": ratio(metric.get("ws_api_plain"), ours),
        "ours uvloop/ours": ratio(metric.get("ws_api_uvloop"), ours),
    }


def judge(value: float | None, limit: float, at_most: bool) -> str:
    if value is None:
        return "unknown"
    met = value <= limit if at_most else value >= limit
    return f"{value:.2f}x ({'met' if met else 'NOT met'})"


def spread(values: Sequence[float] | None) -> str:
    """``median (min-max)`` of per-round ratios."""
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def round_ratio(r: Result) -> float | None:
    values = r.get("round_ratios")
    return statistics.median(values) if values else None


def targets(
    rtt: dict[str, Result], rtt_wss: dict[str, Result], cpu: dict[str, float | None]
) -> dict[str, str]:
    """Where we stand against the goals: per-round p50 ratios, pipelined CPU per request."""
    out = {}
    for name, figure in (("ws", rtt), ("wss", rtt_wss)):
        ours = round_ratio(figure[OURS])
        out[f"{name} rtt p50 <= 1.05x raw websockets"] = judge(ours, 1.05, True)
        for peer in ("pybit", "node"):
            theirs = round_ratio(figure.get(peer, {}))
            out[f"{name} rtt p50 below {peer}"] = (
                "unknown"
                if ours is None or theirs is None
                else f"{'yes' if ours < theirs else 'NO'} ({ours:.2f}x vs {theirs:.2f}x)"
            )
    out["CPU per pipelined request <= Node SDK"] = judge(ratio(cpu[OURS], cpu["node"]), 1.0, True)
    return out


def report(s: Settings, f: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """The tables and the ratio lines, and the ratios and targets as data."""
    rtt, rtt_wss, tp, cold, mem, cap, start = (
        f[k] for k in ("rtt", "rtt_wss", "throughput", "cold", "memory", "capacity", "startup")
    )
    many = s.conns
    lines = []
    for number, scheme, figure in (("1", "ws://", rtt), ("1b", "wss://", rtt_wss)):
        lines += table(
            f"{number}. Round trip over {scheme}, order.create send -> matched ack, sequential: "
            f"N={s.n} in {s.rtt_rounds} fresh processes taking turns, each after {s.warmup} "
            "warm-up (µs); per round, p50 / raw websockets' p50: median (min-max)",
            ["client", "p50", "p90", "p99", "max", "lost", "CPU µs/req", "p50 / websockets"],
            [
                [
                    CLIENTS[c],
                    *(fmt(r.get(k)) for k in ("p50", "p90", "p99", "max", "lost")),
                    fmt(cpu_us(r)),
                    spread(r.get("round_ratios")),
                ]
                for c, r in figure.items()
            ],
        )
    lines += table(
        f"2. Throughput: bursts of {s.inflight} order.create in flight per connection, "
        f"{s.rounds} rounds after 1 warm-up (req/s); {many} conns = {many} clients in one process",
        ["client", "1 conn", "server CPU", f"{many} conns", "server CPU", "lost"],
        [
            [CLIENTS[c]]
            + [
                text
                for n in (1, many)
                for text in (fmt(r[n].get("rps")), f"{fmt(100 * (r[n].get('server_cpu') or 0))}%")
            ]
            + [fmt(sum(r[n].get("lost", 0) for n in (1, many)))]
            for c, r in tp.items()
        ],
    )
    lines += table(
        f"3. Cold start: constructor -> first acked order, median of {s.cold_runs} fresh "
        "processes (ms)",
        ["client", "lazy (1st call connects)", "connect first", "of which 1st order"],
        [
            [
                CLIENTS[c],
                fmt(r.get("lazy", {}).get("total_ms"), 1),
                fmt(r.get("connect", {}).get("total_ms"), 1),
                fmt(r.get("connect", {}).get("first_ms"), 1),
            ]
            for c, r in cold.items()
        ],
    )
    lines += table(
        f"4. Client cost: CPU time per request; peak RSS growth with {s.memory_inflight:,} in "
        f"flight (the second server holds each reply {s.delay_ms} ms)",
        ["client", "CPU µs/req sequential", "pipelined", "RSS growth MiB", "bytes/req"],
        [
            [
                CLIENTS[c],
                fmt(cpu_us(rtt[c])),
                fmt(cpu_us(tp[c][1])),
                fmt(m["rss_delta_kib"] / 1024, 1) if "rss_delta_kib" in m else "-",
                fmt(m["rss_delta_kib"] * 1024 / m["requests"]) if "rss_delta_kib" in m else "-",
            ]
            for c, m in ((c, mem.get(c, {})) for c in CLIENTS)
        ],
    )
    lines += [
        "",
        f"5. Server capacity: {cap['processes']} raw websockets clients in parallel processes, "
        f"{cap['window']} in flight each, {cap['seconds']:g} s: {fmt(cap['rps'])} req/s "
        f"(server CPU {fmt(100 * (cap['server_cpu'] or 0))}% of one core)",
    ]
    bare = start["bare interpreter"]
    lines += table(
        f"6. Codegen and import: median wall time of fresh processes ({s.import_runs} runs; "
        "codegen 3) (ms)",
        ["command", "wall", "minus bare interpreter"],
        [[f'python -c "{IMPORTS[k]}"', fmt(start[k]), fmt(start[k] - bare)] for k in IMPORTS]
        + [["python -m codegen --out <tmp> (full spec)", fmt(start["codegen"]), ""]],
    )

    def metric(source: dict[str, Result], key: str) -> dict[str, float | None]:
        return {c: r.get(key) for c, r in source.items()}

    imports = {c: start[c] - bare for c in ("httpx_ws", "websockets", "pybit")}
    data = {
        "1. rtt p50, median of per-round ratios (lower is better)": ratios(
            {c: round_ratio(r) for c, r in rtt.items()}
        ),
        "1. rtt p99": ratios(metric(rtt, "p99")),
        "1b. wss rtt p50, median of per-round ratios": ratios(
            {c: round_ratio(r) for c, r in rtt_wss.items()}
        ),
        "2. throughput 1 conn (higher is better)": ratios(
            {c: r[1].get("rps") for c, r in tp.items()}
        ),
        f"2. throughput {many} conns": ratios({c: r[many].get("rps") for c, r in tp.items()}),
        "3. cold start, lazy (ours, node) or connect (others)": ratios(
            {c: (r.get("lazy") or r["connect"]).get("total_ms") for c, r in cold.items()}
        ),
        "4. CPU per request, pipelined": ratios({c: cpu_us(r[1]) for c, r in tp.items()}),
        "4. RSS growth with all in flight": ratios(metric(mem, "rss_delta_kib")),
        "5. server capacity / 1-conn throughput of": {
            CLIENTS[c]: ratio(cap["rps"], r[1].get("rps")) for c, r in tp.items()
        },
        "6. import, minus bare interpreter": ratios(imports | {OURS: start["bybit_wsapi"] - bare}),
    }
    lines += ["", f"Ratios (ours = {CLIENTS[OURS]}):"]
    lines += [
        f"{name}: " + ", ".join(f"{k} {fmt(v, 2)}x" for k, v in values.items())
        for name, values in data.items()
    ]
    goals = targets(rtt, rtt_wss, {c: cpu_us(r[1]) for c, r in tp.items()})
    lines += ["Targets: " + "; ".join(f"{k}: {v}" for k, v in goals.items())]
    return lines, {"ratios": data, "targets": goals}
