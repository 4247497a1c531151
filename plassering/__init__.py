"""Placement (plassering): IMDi's daily settlement work. A capacity ledger per round and
municipality, households to place, hard filters and an explainable weighted ranking, batch
assignment as an integer program, and the officer's decision with an audit trail.

Reads profiles through ``plassering.sources`` only; nothing below this app imports it."""
