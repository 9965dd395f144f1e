"""The labels of a document's metadata block, declared once (`corpus/data/metadata_labels.json`) for
web pages (`corpus.readers.html`) and their copies saved as text (`corpus.page`).

>>> FIELD_OF["发文字号"], FIELD_OF["成文日期"], FIELD_OF["来源"], FIELD_OF["索引号"], FIELD_OF["生成日期"]
('doc_number', 'date', 'source_office', None, 'record_date')
>>> import re
>>> re.fullmatch(LABEL_ALTERNATION, "发 文 字 号") is not None, "暂无" in EMPTY_VALUES
(True, True)
"""

from __future__ import annotations

import json
import re

from corpus.lexicon import DATA_DIR

_CONFIG = json.loads((DATA_DIR / "metadata_labels.json").read_text("utf-8"))

# every label → the Document field it gives (None: a label read only so its value ends where the next begins)
FIELD_OF: dict[str, str | None] = {label: name for name, labels in _CONFIG["fields"].items() for label in labels}
FIELD_OF.update({label: None for label in _CONFIG["ignore"]})
EMPTY_VALUES: frozenset[str] = frozenset(_CONFIG["empty_values"])
# the page's own record of the document, and the Document field it gives on a web page itself; a copy
# saved as text is of an unknown page (often an aggregator's), where they date no act of the document
PAGE_RECORD_FIELDS: dict[str, str] = {"page_time": "publish_date", "record_date": "date"}
# any label, longest first, spaces inside tolerated (`索 引 号`)
LABEL_ALTERNATION = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(FIELD_OF, key=len, reverse=True))
