"""Readers that turn official-document sources into `corpus.model.Document`s.

`SAMPLE_DIR` is the bundled sample corpus (two issues of a county gazette): the default
source of `python -m index build` and of the site. The data files next to it
(`corpus/data/*.json`, `*.tsv`) are the parsers' lexicons, not documents.

>>> sorted(p.name for p in SAMPLE_DIR.iterdir())
['luxi-gazette-2021-04.txt', 'luxi-gazette-2023-01.txt']
"""

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent / "data" / "gazettes"
