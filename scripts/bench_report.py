"""The output of scripts/bench.py: the Markdown table and the line that says what data was measured."""

from __future__ import annotations

import json


def markdown(results, warnings, extras, meta) -> str:
    lines = [f"# Benchmark {meta['started']} ({meta['database']}, {meta['requests']} requests a page)", "",
             f"Data: {meta['data']}", ""]
    if results:
        floor = next(r for r in results if r.group == "floor")
        paired = sorted(r.floor_p95_ms for r in results if r.floor_p95_ms)
        lines += [f"Floor page `{floor.url}`: p50 {floor.median_ms:.1f} ms, p95 {floor.p95_ms:.1f} ms, "
                  f"{floor.queries} queries.", ""]
        if paired:
            lines += [f"Each page's ratio is its p95 over the p95 of the floor requests interleaved with it (one after "
                      f"each of its requests); those floor p95s ranged {paired[0]:.1f}–{paired[-1]:.1f} ms "
                      f"(median {paired[len(paired) // 2]:.1f}) over the run.", ""]
        lines += ["| page | role | group | status | queries | p50 ms | p95 ms | floor p95 | × floor | budget |",
                  "|---|---|---|---|---:|---:|---:|---:|---:|---|"]
        for r in results:
            verdict = "—" if r.group in ("admin", "floor") and r.status == 200 else (
                "PASS" if not r.flags else "MISS " + ", ".join(r.flags))
            lines.append(f"| {r.label} `{r.url}` | {r.role} | {r.group} | {r.status} | {r.queries} | "
                         f"{r.median_ms:.1f} | {r.p95_ms:.1f} | {r.floor_p95_ms or 0:.1f} | {r.ratio or 0:.1f} | {verdict} |")
        misses = [r for r in results if r.flags and r.group not in ("admin", "floor")]
        lines += ["", f"Pages: {len(results)}, over budget: {len(misses)}."]
    for name, value in extras.items():
        lines += ["", f"## {name}", "", "```", json.dumps(value, ensure_ascii=False, indent=2, default=str), "```"]
    if warnings:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in warnings]
    return "\n".join(lines) + "\n"


def describe_data() -> str:
    from deputies.models import Deputy, Visit
    from petitions.models import Petition
    from presidium.models import Township
    from proposals.models import Suggestion

    return (f"{Township.objects.count()} townships, {Deputy.objects.count()} deputies, "
            f"{Suggestion.objects.count()} suggestions, {Petition.objects.count()} petitions, "
            f"{Visit.objects.count()} visits")
