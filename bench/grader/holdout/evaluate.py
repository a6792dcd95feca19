#!/usr/bin/env python3
"""Compares the grader's answers (GradeHoldout.java's TSV) with the hold-out truth; prints Markdown.

Usage: evaluate.py <photo folder> <grades.tsv>
"""
import json
import os
import sys
from collections import Counter, defaultdict

CONFIDENT = 0.95


def load(folder, tsv):
    rows = []
    for line in open(tsv, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        path, status, reason, layout, ms, cpu = parts[:6]
        boxes = {}
        if len(parts) > 6 and parts[6]:
            for item in parts[6].split(";"):
                bid, rest = item.split("=", 1)
                state, conf, ink = rest.split(":")
                boxes[bid] = (state, float(conf), float(ink))
        truth = json.load(open(path[:-4] + ".json", encoding="utf-8"))
        rows.append({"path": path, "status": status, "reason": reason, "layout": layout, "ms": float(ms), "cpu": float(cpu),
                     "boxes": boxes, "truth": truth})
    return rows


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "-"


def p50(values):
    v = sorted(values)
    return v[len(v) // 2] if v else float("nan")


def summarise(rows):
    s = Counter()
    refused_by = Counter()
    for r in rows:
        t = r["truth"]
        s["n"] += 1
        refused = r["status"] in ("UNREADABLE", "ERROR")
        if r["status"] == t["expected_status"]:
            s["status_ok"] += 1
        if not refused:
            s["not_refused"] += 1
            if r["status"] != t["expected_status"]:
                s["wrong_status"] += 1
        if t["gradeable"]:
            s["gradeable"] += 1
            if refused:
                s["gradeable_refused"] += 1
                refused_by[r["reason"] or r["status"]] += 1
            else:
                for bid, bt in t["boxes"].items():
                    state, conf, _ = r["boxes"].get(bid, ("MISSING", 0.0, 0.0))
                    s["boxes"] += 1
                    if state == "UNCERTAIN":
                        s["uncertain"] += 1
                    if conf >= CONFIDENT:
                        s["confident"] += 1
                        if bt["answered"] and state == "BLANK":
                            s["ans_as_blank"] += 1
                        elif not bt["answered"] and state == "ANSWERED":
                            s["blank_as_ans"] += 1
        else:
            s["rejects"] += 1
            if refused and r["reason"] in t["accepted_reasons"]:
                s["rejects_right"] += 1
            elif refused:
                s["rejects_other_reason"] += 1
    return s, refused_by


def row(name, rows):
    s, refused_by = summarise(rows)
    wrong = s["ans_as_blank"] + s["blank_as_ans"]
    reasons = ", ".join("%s %d" % kv for kv in sorted(refused_by.items(), key=lambda kv: -kv[1]))
    return "| %s | %d | %s | %d of %d | %d of %d (%s): %d ans->BLANK, %d blank->ANS | %d | %d of %d (%s)%s | %s | %.0f |" % (
        name, s["n"], pct(s["status_ok"], s["n"]), s["wrong_status"], s["not_refused"], wrong, s["boxes"],
        pct(wrong, s["boxes"]), s["ans_as_blank"], s["blank_as_ans"], s["uncertain"], s["gradeable_refused"],
        s["gradeable"], pct(s["gradeable_refused"], s["gradeable"]), (": " + reasons) if reasons else "",
        ("%d of %d" % (s["rejects_right"], s["rejects"])) if s["rejects"] else "-", p50([r["ms"] for r in rows]))


def main():
    folder, tsv = sys.argv[1], sys.argv[2]
    rows = load(folder, tsv)
    out = []
    out.append("| condition | photos | sheet status as expected | wrong status on sheets not refused | "
               "boxes graded wrong with confidence >= 0.95, sheets not refused | boxes UNCERTAIN | "
               "gradeable photos refused (by reason) | rejects refused with the right reason | latency p50 ms |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    out.append(row("**all**", rows))
    by = defaultdict(list)
    for r in rows:
        by[r["truth"]["condition"]].append(r)
    for cond in sorted(by):
        out.append(row(cond, by[cond]))
    out.append("")
    # latency by resolution
    out.append("| photo size | photos | latency p50 ms, wall clock | p50 ms, thread CPU time |")
    out.append("|---|---|---|---|")
    sizes = defaultdict(list)
    for r in rows:
        sizes["%dx%d" % (max(r["truth"]["width"], r["truth"]["height"]), min(r["truth"]["width"], r["truth"]["height"]))].append(r)
    for k in sorted(sizes, key=lambda k: int(k.split("x")[0])):
        out.append("| %s | %d | %.0f | %.0f |" % (k, len(sizes[k]), p50([r["ms"] for r in sizes[k]]), p50([r["cpu"] for r in sizes[k]])))
    out.append("")
    # pencil by grey level, and box kinds: where the wrong boxes are
    out.append("| answered pencil boxes, stroke grey | boxes | called BLANK with confidence >= 0.95 | UNCERTAIN |")
    out.append("|---|---|---|---|")
    bands = [(0, 150), (150, 165), (165, 180), (180, 195), (195, 256)]
    kinds = defaultdict(Counter)
    pen = {b: Counter() for b in bands}
    for r in rows:
        t = r["truth"]
        if not t["gradeable"] or r["status"] in ("UNREADABLE", "ERROR"):
            continue
        for bid, bt in t["boxes"].items():
            state, conf, _ = r["boxes"].get(bid, ("MISSING", 0.0, 0.0))
            k = kinds[bt.get("kind", "?") if bt["answered"] else "blank:" + bt.get("kind", "?")]
            k["n"] += 1
            wrong = conf >= CONFIDENT and ((bt["answered"] and state == "BLANK") or (not bt["answered"] and state == "ANSWERED"))
            k["wrong"] += wrong
            k["uncertain"] += state == "UNCERTAIN"
            if bt["answered"] and bt.get("ink") == "pencil":
                for b in bands:
                    if b[0] <= bt["grey"] < b[1]:
                        pen[b]["n"] += 1
                        pen[b]["wrong"] += wrong
                        pen[b]["uncertain"] += state == "UNCERTAIN"
    for b in bands:
        out.append("| %d-%d | %d | %d | %d |" % (b[0], min(b[1], 255), pen[b]["n"], pen[b]["wrong"], pen[b]["uncertain"]))
    out.append("")
    out.append("| box kind (sheets not refused) | boxes | graded wrong with confidence >= 0.95 | UNCERTAIN |")
    out.append("|---|---|---|---|")
    for k in sorted(kinds):
        out.append("| %s | %d | %d | %d |" % (k, kinds[k]["n"], kinds[k]["wrong"], kinds[k]["uncertain"]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
