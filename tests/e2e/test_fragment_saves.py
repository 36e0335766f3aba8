"""Parts of a page drawn as fragments rerun alone when their widgets change (app.py, and its autosave, do not
run then): what the trainee types there is saved all the same (ui.saving.fragment). Checked against a real
server over the browser protocol, since only a server runs a fragment alone, and read back from the database."""

from __future__ import annotations

import os
import random

from scripts.load import Tab, run_async
from scripts.serve import running_server
from workbook import workspace as ws
from workbook.store import open_store


def test_a_month_typed_in_the_hysteresis_fragment_is_in_the_database() -> None:
    async def type_month(url: str) -> Tab:
        tab = Tab(url, 1)
        await tab.open("s3_1")
        (month,) = tab.find("s3_1_month_0")
        change = tab.change(month, random.Random(2))
        assert change is not None
        change.double_value = 345.0
        await tab.rerun(changes=[change])
        await tab.close()
        return tab

    with running_server() as server:
        tab = run_async(type_month(server.url))
    assert not tab.exceptions, tab.exceptions
    assert tab.fragment_run  # the change reran the fragment only
    saved = open_store(os.environ["WORKBOOK_DB_URL"]).load_workspace(tab.resume_token)
    assert saved is not None
    assert ws.module_values(saved, "s3_1")["monthly_aum_wan"][0] == 345.0
