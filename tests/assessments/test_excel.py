"""The Excel round-trip: download, fill in offline, upload; every bad cell reported at its
sheet and cell, nothing saved unless the whole file is valid; each role's access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import Role
from assessments import services
from assessments.answer_paths import paths
from assessments.choices import AssessmentStatus
from assessments.models import AssessmentEvent, IndicatorNote
from assessments.views import excel as excel_views
from tests.factories import (
    UserFactory,
    full_answers,
    make_assessment,
    make_community,
    make_round,
    region_chain,
)

pytestmark = pytest.mark.django_db

APPLICATION = {
    "name": "智慧停车",
    "technology": "ai",
    "domain": "service",
    "description": "车牌识别",
}


# --- helpers -------------------------------------------------------------------------


def english(client: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def download(client: Any, assessment: Any) -> Workbook:
    response = client.get(reverse("assessments:excel", args=[assessment.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def sheet_of(workbook: Workbook, assessment: Any) -> Any:
    return workbook[assessment.community.code]


def value_cells(ws: Any) -> dict[str, Any]:
    """Answer path -> its value cell (column H)."""
    return {row[0].value: row[7] for row in ws.iter_rows(min_row=6) if row[0].value}


def upload(client: Any, workbook: Workbook | bytes, name: str = "filled.xlsx") -> Any:
    if isinstance(workbook, Workbook):
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        content = workbook
    return client.post(
        reverse("assessments:excel-upload"), {"file": SimpleUploadedFile(name, content)}
    )


def problems(response: Any) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    return [(p.sheet, p.cell, p.message) for p in response.context["problems"]]


def stored(assessment: Any) -> dict[str, Any]:
    return services.current_engine_answers(assessment)


def version(assessment: Any) -> int:
    assessment.refresh_from_db()
    return assessment.version


@pytest.fixture
def answered(assessment: Any, assessor: Any, spec: Any) -> Any:
    """The assessment with an answer for every item, some set to known values."""
    answers = full_answers(spec)
    answers.update(
        {
            "L1P8.1": {"numerator": 480, "denominator": 1000},
            "L1P1.2": {"value": True},
            "L1P2.2": {"checked": ["a"]},
            "L3P1.1": {"checked": ["a", "b"], "na": ["e"]},
            "L1P7.2": {"na": True},
            "L2P6.2": {"value": 12},
            "L4P1.1": {"level": 3, "applications": [APPLICATION]},
        }
    )
    services.answers_save(
        actor=assessor, assessment=assessment, values=answers, notes={"L1P1": "运营商证明"}
    )
    return assessment


@pytest.fixture
def signed_in(client: Any, assessor: Any) -> Any:
    client.force_login(assessor)
    return client


# --- downloading ---------------------------------------------------------------------


def test_the_workbook_has_instructions_then_a_row_per_answer_path(signed_in, answered, spec):
    workbook = download(signed_in, answered)
    assert len(workbook.sheetnames) == 2
    ws = sheet_of(workbook, answered)
    assert ws.title == answered.community.code
    assert (ws["B2"].value, ws["B4"].value, ws["D4"].value) == (
        answered.community.code,
        answered.pk,
        version(answered),
    )
    cells = value_cells(ws)
    for item in spec.items.values():
        assert set(paths(item)) <= set(cells), item.code
    notes = {f"{i.code}.note" for primary in spec.primaries for i in primary.indicators}
    assert notes <= set(cells)
    applications = [p for p in cells if p.startswith("L4P1.1.applications.")]
    assert len(applications) == 4 * 4, "the stored application and three empty ones"
    # Current values, shown the way a person reads them.
    assert cells["L1P8.1.numerator"].value == 480
    assert cells["L1P8.1.denominator"].value == 1000
    assert cells["L1P1.2.value"].value == "是"
    assert cells["L1P2.2.checked"].value == "a"
    assert (cells["L3P1.1.checked"].value, cells["L3P1.1.na"].value) == ("a,b", "e")
    assert cells["L1P7.2.not_applicable"].value == "是"
    assert cells["L4P1.1.level"].value == 3
    assert cells["L4P1.1.applications.0.technology"].value == "ai"
    assert cells["L4P1.1.applications.1.name"].value is None
    assert cells["L1P1.note"].value == "运营商证明"
    assert "a 4G；b 5G；c 公共WiFi" in ws.cell(row=cells["L1P2.2.checked"].row, column=9).value
    assert ws.cell(row=cells["L2P6.2.value"].row, column=7).value.startswith("≤ 15 ")
    # Locked sheet, value column open, drop-down lists where there is a choice.
    assert ws.protection.sheet
    assert not cells["L1P1.2.value"].protection.locked
    assert ws["A6"].protection.locked
    lists = {rule.formula1: str(rule.sqref) for rule in ws.data_validations.dataValidation}
    assert cells["L1P1.2.value"].coordinate in lists['"是,否"'].split()
    assert cells["L4P1.1.level"].coordinate in lists['"0,1,2,3,4"'].split()
    assert cells["L4P1.1.applications.0.domain"].coordinate in lists['"service,safety"'].split()
    assert ws.freeze_panes == "A6"


def test_the_rows_say_what_to_enter_with_targets_in_words(signed_in, answered):
    english(signed_in)
    ws = sheet_of(download(signed_in, answered), answered)
    rows = {row[0]: row for row in ws.iter_rows(min_row=6, values_only=True) if row[0]}
    ratio = rows["L1P8.1.numerator"]
    assert ratio[1:3] == ("L1P8.1", "L1P8 Smart lighting")
    assert ratio[4] == "Public lighting fixtures fitted with smart control devices"
    assert ratio[6] == "≥ 60%"
    assert rows["L2P6.2.value"][5:7] == ("minutes", "≤ 15 minutes")
    assert "a 4G; b 5G; c public Wi-Fi" in rows["L1P2.2.checked"][8]
    assert rows["L1P1.2.value"][7] == "yes", "English workbooks say yes/no"
    assert download(signed_in, answered).sheetnames[0] == "Instructions"


def test_a_note_or_name_starting_with_equals_stays_text(signed_in, assessment, assessor):
    services.answers_save(actor=assessor, assessment=assessment, notes={"L1P1": "=1+1"})
    cells = value_cells(sheet_of(download(signed_in, assessment), assessment))
    assert cells["L1P1.note"].value == "=1+1"
    assert cells["L1P1.note"].data_type == "s"


def test_download_queries_do_not_grow_with_the_answers(client, admin, framework, spec):
    empty = make_assessment(framework)
    full = make_assessment(framework)
    services.answers_save(actor=admin, assessment=full, values=full_answers(spec))
    client.force_login(admin)
    download(client, empty)  # the framework's catalog is cached from here on
    counts = []
    for assessment in (empty, full):
        with CaptureQueriesContext(connection) as queries:
            download(client, assessment)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- uploading -----------------------------------------------------------------------


def test_round_trip_saves_exactly_the_edited_cells(signed_in, answered, assessor):
    before = stored(answered)
    start = version(answered)
    workbook = download(signed_in, answered)
    cells = value_cells(sheet_of(workbook, answered))
    cells["L1P8.1.numerator"].value = 600
    cells["L1P1.2.value"].value = "否"
    cells["L1P2.2.checked"].value = "a, c"
    cells["L4P1.1.level"].value = 4
    cells["L1P8.note"].value = "路灯台账见附件"
    cells["L2P6.2.value"].value = None
    cells["L4P1.1.applications.1.name"].value = "人脸门禁"
    cells["L4P1.1.applications.1.technology"].value = "ai"
    cells["L4P1.1.applications.1.domain"].value = "safety"
    response = upload(signed_in, workbook)
    assert response.status_code == 302
    assert response.url == reverse("assessments:page", args=[answered.pk])
    expected = {
        **before,
        "L1P8.1": {"numerator": 600, "denominator": 1000},
        "L1P1.2": {"value": False},
        "L1P2.2": {"checked": ["a", "c"]},
        "L4P1.1": {
            "level": 4,
            "applications": [
                APPLICATION,
                {"name": "人脸门禁", "technology": "ai", "domain": "safety"},
            ],
        },
    }
    del expected["L2P6.2"]
    assert stored(answered) == expected
    assert version(answered) == start + 1
    assert IndicatorNote.objects.get(assessment=answered, indicator__code="L1P8").text == (
        "路灯台账见附件"
    )
    events = AssessmentEvent.objects.filter(assessment=answered, version=start + 1)
    assert {(e.kind, e.target, e.actor_id) for e in events} == {
        *(("answer", code, assessor.pk) for code in ("L1P8.1", "L1P1.2", "L1P2.2", "L4P1.1",
                                                     "L2P6.2")),
        ("note", "L1P8", assessor.pk),
    }  # fmt: skip


def test_uploading_the_file_unchanged_changes_nothing(signed_in, answered):
    before, start = stored(answered), version(answered)
    response = upload(signed_in, download(signed_in, answered))
    assert response.status_code == 302
    assert stored(answered) == before
    assert version(answered) == start


def test_none_not_applicable_and_removed_rows(signed_in, answered):
    workbook = download(signed_in, answered)
    ws = sheet_of(workbook, answered)
    cells = value_cells(ws)
    cells["L1P4.1.checked"].value = "无"
    cells["L1P7.2.not_applicable"].value = None
    cells["L1P7.2.value"].value = "是"
    cells["L2P1.2.value"].value = None
    ws.delete_rows(cells["L2P1.1.count"].row)  # a row taken out leaves its answer alone
    before = stored(answered)
    assert upload(signed_in, workbook).status_code == 302
    after = stored(answered)
    assert after["L1P4.1"] == {"checked": []}
    assert after["L1P7.2"] == {"value": True}
    assert after["L2P1.1"] == before["L2P1.1"]
    assert "L2P1.2" not in after, "an emptied value clears the answer"


def test_every_bad_cell_is_reported_and_nothing_is_saved(signed_in, answered):
    english(signed_in)
    before, start = stored(answered), version(answered)
    workbook = download(signed_in, answered)
    ws = sheet_of(workbook, answered)
    cells = value_cells(ws)
    cells["L1P1.1.denominator"].value = "很多"
    cells["L1P8.1.numerator"].value = 2000
    cells["L1P2.2.checked"].value = "a,z"
    cells["L4P1.1.level"].value = 7
    cells["L4P1.1.applications.1.name"].value = "未填技术"
    cells["L1P8.note"].value = "好"  # valid, yet not saved with the rest
    found = problems(upload(signed_in, workbook))
    title = answered.community.code
    assert [(sheet, cell) for sheet, cell, _m in found] == [
        (title, cells[path].coordinate)
        for path in sorted(
            (
                "L1P1.1.denominator",
                "L1P2.2.checked",
                "L1P8.1.numerator",
                "L4P1.1.level",
                "L4P1.1.applications.1.technology",
                "L4P1.1.applications.1.domain",
            ),
            key=lambda p: cells[p].row,
        )
    ]
    messages = {cell: message for _s, cell, message in found}
    denominator = cells["L1P1.1.denominator"].coordinate
    assert messages[denominator] == "L1P1.1: denominator must be a number"
    assert messages[cells["L1P8.1.numerator"].coordinate] == (
        "L1P8.1: numerator must not exceed denominator"
    )
    assert "unknown option 'z'" in messages[cells["L1P2.2.checked"].coordinate]
    assert "from 0 to 4" in messages[cells["L4P1.1.level"].coordinate]
    assert stored(answered) == before
    assert version(answered) == start
    assert not IndicatorNote.objects.filter(assessment=answered, indicator__code="L1P8").exists()


def test_a_changed_answer_path_is_reported(signed_in, answered):
    workbook = download(signed_in, answered)
    ws = sheet_of(workbook, answered)
    cell = value_cells(ws)["L1P1.2.value"]
    ws.cell(row=cell.row, column=1).value = "L1P1.9.value"
    found = problems(upload(signed_in, workbook))
    assert [(sheet, c) for sheet, c, _m in found] == [(ws.title, f"A{cell.row}")]


def test_a_sheet_of_an_assessment_not_assigned_to_the_uploader_is_refused(
    signed_in, answered, framework
):
    other = make_assessment(framework, assessors=(UserFactory(role=Role.ASSESSOR),))
    before = stored(answered)
    workbook = download(signed_in, answered)
    ws = sheet_of(workbook, answered)
    ws["B4"].value = other.pk
    value_cells(ws)["L1P1.2.value"].value = "否"
    english(signed_in)
    found = problems(upload(signed_in, workbook))
    assert found == [
        (ws.title, "B4", f"Assessment no. {other.pk} does not exist or is not yours to change.")
    ]
    assert stored(answered) == before
    assert stored(other) == {}


def test_a_sheet_whose_community_code_was_changed_is_refused(signed_in, answered, framework):
    other = make_community()
    before = stored(answered)
    workbook = download(signed_in, answered)
    ws = sheet_of(workbook, answered)
    ws["B2"].value = other.code
    value_cells(ws)["L1P1.2.value"].value = "否"
    english(signed_in)
    ((sheet, cell, message),) = problems(upload(signed_in, workbook))
    assert (sheet, cell) == (ws.title, "B2")
    assert "the file is for another assessment" in message
    assert stored(answered) == before


def test_a_file_made_before_another_save_is_refused(signed_in, answered, assessor):
    workbook = download(signed_in, answered)
    made_from = version(answered)
    services.answers_save(actor=assessor, assessment=answered, notes={"L2P1": "另一人的修改"})
    after_save = stored(answered)
    value_cells(sheet_of(workbook, answered))["L1P1.2.value"].value = "否"
    english(signed_in)
    ((sheet, cell, message),) = problems(upload(signed_in, workbook))
    assert (sheet, cell) == (answered.community.code, "")
    assert message == (
        f"{answered.community.code}: someone saved this assessment after the file was made "
        f"(version {made_from}, now {made_from + 1}); download it again."
    )
    assert stored(answered) == after_save


def test_a_stale_file_with_bad_cells_says_both(signed_in, answered, assessor):
    workbook = download(signed_in, answered)
    services.answers_save(actor=assessor, assessment=answered, notes={"L2P1": "另一人的修改"})
    value_cells(sheet_of(workbook, answered))["L1P1.1.numerator"].value = "x"
    found = problems(upload(signed_in, workbook))
    assert len(found) == 2
    assert {cell for _s, cell, _m in found} == {"", value_cells(sheet_of(workbook, answered))[
        "L1P1.1.numerator"].coordinate}  # fmt: skip


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"", "empty.xlsx", "empty"),
        (b"not a spreadsheet at all", "notes.xlsx", "not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "old.xls", "not an Excel workbook"),
        (b"PK\x03\x04broken zip", "broken.xlsx", "not an Excel workbook"),
    ],
)
def test_a_file_that_is_not_a_workbook_gets_a_clear_error(signed_in, content, name, says):
    english(signed_in)
    found = problems(upload(signed_in, content, name))
    assert len(found) == 1
    assert says in found[0][2]


def test_a_workbook_without_assessment_sheets_is_refused(signed_in):
    english(signed_in)
    workbook = Workbook()
    workbook.active["A1"] = "hello"
    ((_sheet, _cell, message),) = problems(upload(signed_in, workbook))
    assert "no assessment sheets" in message


def test_a_file_above_the_size_limit_is_refused(signed_in, monkeypatch):
    from assessments.excel import layout

    monkeypatch.setattr(layout, "MAX_UPLOAD_BYTES", 100)
    english(signed_in)
    ((_s, _c, message),) = problems(upload(signed_in, b"PK" + b"x" * 200))
    assert "larger than" in message


def test_a_read_only_sheet_is_skipped(client, admin, framework, spec):
    round_ = make_round(framework)
    open_one = make_assessment(framework, round=round_)
    submitted = make_assessment(framework, round=round_)
    services.answers_save(actor=admin, assessment=submitted, values={"L1P1.2": {"value": True}})
    type(submitted).objects.filter(pk=submitted.pk).update(status=AssessmentStatus.SUBMITTED)
    client.force_login(admin)
    response = client.get(reverse("assessments:excel-round"), {"round": round_.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    read_only = value_cells(workbook[submitted.community.code])
    assert read_only["L1P1.2.value"].protection.locked
    read_only["L1P1.2.value"].value = "否"  # locked in Excel; ignored here too
    value_cells(workbook[open_one.community.code])["L1P1.2.value"].value = "是"
    response = upload(client, workbook)
    assert response.status_code == 302
    assert stored(open_one) == {"L1P1.2": {"value": True}}
    assert stored(submitted) == {"L1P1.2": {"value": True}}


# --- who may do what -----------------------------------------------------------------


def test_an_assessor_gets_404_on_another_assessors_workbook(client, framework, assessor):
    other = make_assessment(framework, assessors=(UserFactory(role=Role.ASSESSOR),))
    client.force_login(assessor)
    assert client.get(reverse("assessments:excel", args=[other.pk])).status_code == 404
    assert client.get("/assessments/99999999999999999999/excel/").status_code == 404


def test_officials_download_in_their_region_only_and_may_not_upload(client, framework):
    street = region_chain("济南市", "历下区", "解放路街道")
    elsewhere = region_chain("青岛市", "市南区", "八大关街道")
    here = make_assessment(framework, community=make_community(street))
    there = make_assessment(framework, community=make_community(elsewhere))
    official = UserFactory(role=Role.OFFICIAL, region=street.city)
    client.force_login(official)
    assert client.get(reverse("assessments:excel", args=[there.pk])).status_code == 404
    workbook = download(client, here)
    assert value_cells(sheet_of(workbook, here))["L1P1.2.value"].protection.locked
    assert client.get(reverse("assessments:excel-upload")).status_code == 403
    assert upload(client, workbook).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, assessment):
    for url in (
        reverse("assessments:excel", args=[assessment.pk]),
        reverse("assessments:excel-round") + f"?round={assessment.round_id}",
        reverse("assessments:excel-upload"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_upload_page_links_the_assessors_rounds(signed_in, assessment):
    response = signed_in.get(reverse("assessments:excel-upload"))
    assert response.status_code == 200
    link = reverse("assessments:excel-round") + f"?round={assessment.round_id}"
    assert link in response.content.decode()


def test_the_round_workbook_has_exactly_the_assessors_assessments(client, framework, assessor):
    round_ = make_round(framework, name="2026 年度评估")
    mine = [make_assessment(framework, round=round_, assessors=(assessor,)) for _n in range(2)]
    make_assessment(framework, round=round_, assessors=(UserFactory(role=Role.ASSESSOR),))
    make_assessment(framework, assessors=(assessor,))  # another round
    client.force_login(assessor)
    response = client.get(reverse("assessments:excel-round"), {"round": round_.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''2026")
    workbook = load_workbook(io.BytesIO(response.content))
    assert sorted(workbook.sheetnames[1:]) == sorted(a.community.code for a in mine)


def test_an_administrator_narrows_a_large_round_by_assessor(client, admin, framework, monkeypatch):
    monkeypatch.setattr(excel_views, "MAX_ROUND_ASSESSMENTS", 2)
    round_ = make_round(framework)
    person = UserFactory(role=Role.ASSESSOR)
    theirs = make_assessment(framework, round=round_, assessors=(person,))
    for _n in range(2):
        make_assessment(framework, round=round_)
    client.force_login(admin)
    url = reverse("assessments:excel-round")
    assert client.get(url, {"round": round_.pk}).status_code == 400
    response = client.get(url, {"round": round_.pk, "assessor": person.username})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames[1:] == [theirs.community.code]
    assert client.get(url, {"round": round_.pk, "assessor": "nobody"}).status_code == 404
    assert client.get(url, {"round": "²"}).status_code == 400
    assert client.get(url, {"round": 99999}).status_code == 404


def test_an_assessor_cannot_download_a_round_without_their_assessments(client, assessor, framework):
    round_ = make_round(framework)
    make_assessment(framework, round=round_, assessors=(UserFactory(role=Role.ASSESSOR),))
    client.force_login(assessor)
    response = client.get(reverse("assessments:excel-round"), {"round": round_.pk})
    assert response.status_code == 404


def test_an_administrator_uploads_several_sheets_and_goes_home(client, admin, framework):
    round_ = make_round(framework)
    first, second = (make_assessment(framework, round=round_) for _n in range(2))
    client.force_login(admin)
    response = client.get(reverse("assessments:excel-round"), {"round": round_.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    for assessment in (first, second):
        value_cells(workbook[assessment.community.code])["L1P1.2.value"].value = "是"
    response = upload(client, workbook)
    assert (response.status_code, response.url) == (302, reverse("home"))
    assert stored(first) == stored(second) == {"L1P1.2": {"value": True}}


def test_clear_is_what_an_empty_item_means(signed_in, assessment, assessor):
    services.answers_save(actor=assessor, assessment=assessment, values={"L1P8.1": {
        "numerator": 1, "denominator": 2}})  # fmt: skip
    workbook = download(signed_in, assessment)
    cells = value_cells(sheet_of(workbook, assessment))
    cells["L1P8.1.numerator"].value = None
    cells["L1P8.1.denominator"].value = None
    assert upload(signed_in, workbook).status_code == 302
    assert "L1P8.1" not in stored(assessment)


def test_a_copied_sheet_of_the_same_assessment_is_refused(signed_in, answered):
    workbook = download(signed_in, answered)
    copy = workbook.copy_worksheet(sheet_of(workbook, answered))  # keeps the cells, not the names
    english(signed_in)
    found = problems(upload(signed_in, workbook))
    assert found == [
        (
            copy.title,
            "B4",
            f"Assessment no. {answered.pk} is also on sheet '{answered.community.code}'; "
            "keep one of them.",
        )
    ]


def test_a_flag_cell_takes_yes_or_nothing(signed_in, answered):
    workbook = download(signed_in, answered)
    cell = value_cells(sheet_of(workbook, answered))["L1P7.2.not_applicable"]
    cell.value = "maybe"
    english(signed_in)
    found = problems(upload(signed_in, workbook))
    assert found == [
        (answered.community.code, cell.coordinate, "Choose “yes” or leave the cell empty.")
    ]


def test_a_round_download_without_a_round_says_so(client, framework):
    client.force_login(UserFactory(role=Role.OFFICIAL))
    response = client.get(reverse("assessments:excel-round"), {"round": "-1"})
    assert response.status_code == 400
    assert [p.message for p in response.context["problems"]]
