"""The link chart's data, put inside a <script type="application/json"> element of the page."""

from __future__ import annotations

import json

from safehub.web.routes.networks import _json


def test_a_name_in_the_chart_data_cannot_end_the_script_element_or_hide_its_end() -> None:
    data = {"nodes": [{"label": "</script><!--<script>alert(1)</script> & co"}]}
    text = str(_json(data))
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text) == data  # the escapes are JSON's own: the chart reads the same data
