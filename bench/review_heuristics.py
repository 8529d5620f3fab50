#!/usr/bin/env python3
"""How often simple position-free heuristics would state the verdicts of a sandbox corpus's review documents.

Usage: ./salmon sandbox corpus --documents 4000 --seed 5 --out c.jsonl && bench/review_heuristics.py c.jsonl
A judge below these shares in distribution (ReviewProbe's verdictAgreement) has not learned even the heuristic.
"""
import json
import re
import sys

FAILED = {"wrong", "invented", "harmful", "wordy", "rude", "boastful", "padded"}
PAIR = re.compile(r"Output \(a\): (.*?)\n\nOutput \(b\): (.*?)\n\nCriterion:", re.S)
VERDICT = re.compile(r"the better output is Output \(([ab])\)")
REASONS = re.compile(r"Output \(a\) is (.*?)\. Output \(b\) is (.*?)\.")


def main(path):
    shorter = [0, 0]
    fewer_failed = [0, 0]
    reviews = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)   # one JSON string per document
            pair = PAIR.search(text)
            if not pair:
                continue
            reviews += 1
            verdicts = VERDICT.findall(text)
            short = "a" if len(pair.group(1)) < len(pair.group(2)) else "b"
            shorter[0] += sum(v == short for v in verdicts)
            shorter[1] += len(verdicts)
            reasons = REASONS.search(text)
            if reasons:
                fa = sum(w in FAILED for w in reasons.group(1).split(", "))
                fb = sum(w in FAILED for w in reasons.group(2).split(", "))
                if fa != fb:
                    fewer = "a" if fa < fb else "b"
                    fewer_failed[0] += sum(v == fewer for v in verdicts)
                    fewer_failed[1] += len(verdicts)
    if reviews == 0:
        sys.exit(f"{path}: no review documents")
    print(json.dumps({"reviewDocuments": reviews, "verdicts": shorter[1],
                      "shorterWins": round(shorter[0] / shorter[1], 3),
                      "fewerFailedAttributesWins": round(fewer_failed[0] / max(1, fewer_failed[1]), 3)}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
