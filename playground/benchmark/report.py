"""The benchmark's figures as a plain-text table: "playground / floor / direct", each with the
target the playground aims at (issue 15), and the machine's load beside them."""

from __future__ import annotations

from typing import Any

TTFT_TARGETS = {
    ("realistic", "p50", 1): "added <= 3 ms",
    ("realistic", "p99", 1): "added <= 10 ms",
    ("realistic", "p50", 50): "added <= 5 ms",
    ("realistic", "p99", 200): "added <= 50 ms",
}


def _ttft_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for row in sorted(figures["ttft"], key=lambda r: (r["pace"] != "realistic", r["streams"])):
        for name in ("p50", "p99"):
            value = row[name]
            rows.append(
                (
                    f"TTFT {name}, {row['streams']} stream(s), {row['pace']} pace "
                    f"({row['samples']} each)",
                    f"{value['playground_added_ms']:+.1f} / {value['floor_added_ms']:+.1f} ms "
                    f"added (direct {value['direct_ms']:.1f} ms)",
                    TTFT_TARGETS.get((row["pace"], name, row["streams"]), ""),
                )
            )
    return rows


def _throughput_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for row in figures.get("throughput", []):
        rows.append(
            (
                f"Chunks/s, {row['streams']} stream(s), instant pace",
                f"{row['playground_chunks_per_s']:,.0f} / {row['floor_chunks_per_s']:,.0f} / "
                f"{row['direct_chunks_per_s']:,.0f} ({row['playground_ratio']:.2f}x / "
                f"{row['floor_ratio']:.2f}x direct)",
                ">= 0.8x direct",
            )
        )
        rows.append(
            (
                f"Server CPU per chunk, {row['streams']} stream(s)",
                f"{row['playground_cpu_us_per_chunk']:.0f} / "
                f"{row['floor_cpu_us_per_chunk']:.0f} µs",
                "",
            )
        )
    return rows


def _cpu_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    if "cpu_split" not in figures:
        return []
    split = figures["cpu_split"]
    mine, floor = split["playground"], split["floor"]
    rows = [
        (
            f"Server CPU per chunk, {kb} KB answer ({split['chunks'][f'{kb}kb']} chunks)",
            f"{mine[f'us_per_chunk_{kb}kb']:.0f} / {floor[f'us_per_chunk_{kb}kb']:.0f} µs",
            "",
        )
        for kb in (1, 64)
    ]
    rows.append(
        (
            "Server CPU per chunk, marginal (1 KB to 64 KB)",
            f"{mine['marginal_us_per_chunk']:.0f} / {floor['marginal_us_per_chunk']:.0f} µs",
            "<= 30 µs",
        )
    )
    rows.append(
        (
            "Server CPU per reply, fixed",
            f"{mine['fixed_ms_per_reply']:.1f} / {floor['fixed_ms_per_reply']:.1f} ms",
            "<= 5 ms",
        )
    )
    return rows


def _other_rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    if memory := figures.get("memory_per_socket"):
        rows.append(
            (
                f"Memory per open socket ({memory['sockets']}), playground",
                f"{memory['bytes_per_socket'] / 1024:.0f} KiB",
                "",
            )
        )
    if "fan_out" in figures:
        fan = figures["fan_out"]
        rows.append(
            (
                f"Compare: {fan['panes']} panes wall / slowest pane",
                f"{fan['wall_s']:.2f} / {fan['slowest_pane_s']:.2f} s, ratio {fan['ratio']:.2f}",
                "<= 1.2",
            )
        )
    if page := figures.get("page"):
        rows.append(
            (
                "Chat page with its CSS and JS, gzip",
                f"{page['total_gzip_bytes'] / 1024:.1f} KB",
                "<= 40 KB",
            )
        )
        rows.append(
            (
                "Render a 50-turn chat page, p50",
                f"{page['render_50_turns_p50_ms']:.1f} ms",
                "<= 20 ms",
            )
        )
    return rows


def _load(label: str, load: dict[str, Any]) -> str:
    return (
        f"{label}: {load['load_1m']:.2f} / {load['load_5m']:.2f} / {load['load_15m']:.2f} "
        f"(1, 5, 15 min) on {load['cores']} cores"
    )


def table(figures: dict[str, Any]) -> str:
    rows = [
        *_ttft_rows(figures),
        *_throughput_rows(figures),
        *_cpu_rows(figures),
        *_other_rows(figures),
    ]
    head = ("figure", "playground / floor / direct", "target")
    width = [max(len(row[i]) for row in [head, *rows]) for i in range(3)]
    lines = [
        _load("Machine load before", figures["load_before"]),
        _load("Machine load after ", figures["load_after"]),
        "",
        " | ".join(h.ljust(w) for h, w in zip(head, width, strict=True)).rstrip(),
        "-|-".join("-" * w for w in width),
    ]
    lines += [
        " | ".join(c.ljust(w) for c, w in zip(row, width, strict=True)).rstrip() for row in rows
    ]
    failed = [f"FAILED {failure}" for failure in figures.get("failures", [])]
    return "\n".join([*lines, *failed, "", *NOTES]) + "\n"


NOTES = [
    "TTFT is the first answer text as each client receives it; 'added' is that path's TTFT",
    "minus direct's, at the same percentile. Direct is a raw SSE client on the emulator, floor",
    "a ~60-line relay (raw SSE, json.loads, websockets; floor.py), playground the chat socket.",
    "All processes (emulator, playground, floor relay, this client) share the machine's cores.",
]
