"""The benchmark's figures as a plain-text table, each against its budget."""

from __future__ import annotations

from typing import Any

BUDGETS = {
    "added_ttft_p50_ms": 2.0,
    "added_ttft_p99_ms": 10.0,
    "throughput_ratio": 0.8,
    "cpu_us_per_chunk": 150.0,
    "fan_out_ratio": 1.2,
    "page_gzip_kb": 60.0,
    "render_p50_ms": 20.0,
}


def table(figures: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []
    for row in figures["ttft"]:
        for name in ("p50", "p99"):
            value = row[name]
            rows.append(
                (
                    f"TTFT {name}, {row['streams']} streams (direct / relayed)",
                    f"{value['direct_ms']:.2f} / {value['relayed_ms']:.2f} ms, "
                    f"added {value['added_ms']:+.2f} ms",
                    f"added <= {BUDGETS[f'added_ttft_{name}_ms']:g} ms at 50",
                )
            )
    throughput = figures["throughput"]
    for key, label in (("one_stream", "1 stream"), ("all_streams", "all streams")):
        value = throughput[key]
        rows.append(
            (
                f"Chunks/s, {label} (direct / relayed)",
                f"{value['direct_chunks_per_s']:,.0f} / {value['relayed_chunks_per_s']:,.0f}, "
                f"ratio {value['ratio']:.2f}",
                f">= {BUDGETS['throughput_ratio']:g}",
            )
        )
    rows.append(
        (
            "Server CPU per relayed chunk (all streams)",
            f"{throughput['server_cpu_us_per_chunk']:.0f} µs",
            f"<= {BUDGETS['cpu_us_per_chunk']:g} µs",
        )
    )
    for value in figures["cpu_by_answer_size"]:
        rows.append(
            (
                f"Server CPU per chunk, {value['answer_kb']} KB answer ({value['chunks']} chunks)",
                f"{value['server_cpu_us_per_chunk']:.0f} µs",
                "flat from 1 KB to 64 KB",
            )
        )
    split = figures["cpu_split"]
    rows.append(
        (
            "Server CPU split: per chunk + fixed per reply",
            f"{split['marginal_us_per_chunk']:.0f} µs"
            f" + {split['fixed_us_per_reply'] / 1000:.1f} ms",
            "per-chunk part flat",
        )
    )
    memory = figures["memory_per_socket"]
    rows.append(
        (
            f"Memory per open socket ({memory['sockets']})",
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
                f"<= {BUDGETS['fan_out_ratio']:g}",
            )
        )
    page = figures["page"]
    rows.append(
        (
            "Chat page with its CSS and JS, gzip",
            f"{page['total_gzip_bytes'] / 1024:.1f} KB",
            f"<= {BUDGETS['page_gzip_kb']:g} KB",
        )
    )
    rows.append(
        (
            "Render a 50-turn chat page, p50",
            f"{page['render_50_turns_p50_ms']:.1f} ms",
            f"<= {BUDGETS['render_p50_ms']:g} ms",
        )
    )
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    head = ("figure", "measured", "budget")
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, width, strict=True))]
    lines.append("-|-".join("-" * w for w in width))
    lines += [" | ".join(c.ljust(w) for c, w in zip(row, width, strict=True)) for row in rows]
    return "\n".join([*lines, "", *NOTES]) + "\n"


NOTES = [
    "Notes: all processes share this machine's cores. Under many streams the direct side (the",
    "openai SDK in this process, parsing every chunk) saturates before the playground does, so",
    "'added' TTFT can come out negative there; the one-stream rows are the clean overhead figure.",
    "Fan-out is measured against a second emulator at its default pace (see fanout.py).",
]
