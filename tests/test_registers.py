"""The register machinery: field types, declarations, the store, the audit trail, the schema."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lga_desktop.features import counts as register_counts
from lga_desktop.features import features
from lga_desktop.periods import FinancialYear, Quarter
from lga_desktop.registers import audit, cap, experts, savings, store
from lga_desktop.registers.catalog import all_registers, family, family_keys, register
from lga_desktop.registers.declaration import Field, Register
from lga_desktop.registers.fields import (
    Choice,
    Date,
    FieldError,
    Link,
    LongText,
    Money,
    MultiChoice,
    Quantity,
    QuarterType,
    Reference,
    Text,
    YearType,
    YesNo,
)
from lga_desktop.registers.schema import create_table_sql

# ---- field types --------------------------------------------------------------------


def test_money_reads_what_officers_type_and_keeps_pence():
    money = Money()
    assert money.coerce("£1,234.50") == 123450
    assert money.coerce("1.2m") == 120_000_000
    assert money.coerce(123450) == 123450  # an int is already pence
    assert money.coerce("") is None
    assert money.display(123450) == "£1,234.50"
    assert money.to_text(123450) == "1234.50"
    assert money.to_cell(123450) == Decimal("1234.50")
    with pytest.raises(FieldError, match="decimal comma"):
        money.coerce("1234,50")
    with pytest.raises(FieldError, match="negative"):
        money.check(money.coerce("-5"))


def test_money_from_a_spreadsheet_cell_is_exact():
    money = Money()
    assert money.from_cell(0.1 + 0.2 - 0.3 + 1234.56) == 123456  # spreadsheet float noise
    assert money.from_cell(1234.56) == 123456
    assert money.from_cell(1000) == 100000  # a cell holds pounds
    assert money.from_cell("£2,000") == 200000
    with pytest.raises(FieldError, match="more than two decimal places"):
        money.from_cell(0.005)


@given(st.integers(min_value=0, max_value=10**13))
def test_money_text_and_cell_round_trip(pence):
    money = Money()
    assert money.parse(money.to_text(pence)) == pence
    assert money.from_cell(float(money.to_cell(pence))) == pence


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([0, 1, 2]))
def test_quantity_round_trips_exactly(scaled, places):
    q = Quantity(places=places)
    value = Decimal(scaled).scaleb(-places)
    assert q.from_db(q.to_db(value)) == value
    assert q.parse(q.to_text(value)) == value
    assert q.from_cell(float(value)) == value


def test_quantity_units_places_and_steps():
    fte = Quantity(places=1, unit="FTE")
    assert fte.coerce("12.5 FTE") == Decimal("12.5")
    assert fte.coerce("1,250") == Decimal("1250.0")
    assert fte.to_db(Decimal("12.5")) == 125
    assert fte.display(Decimal("1250.5")) == "1,250.5"
    with pytest.raises(FieldError, match="more detail"):
        fte.coerce("12.25")
    with pytest.raises(FieldError, match="not a number"):
        fte.coerce("twelve")
    days = experts.DAYS.field("days").type
    days.check(Decimal("0.5"))
    with pytest.raises(FieldError, match="whole or a half day"):
        days.check(days.coerce("0.7"))
    with pytest.raises(FieldError, match="most allowed"):
        days.check(days.coerce("1.5"))


def test_dates_quarters_years_and_yes_no():
    d = Date()
    assert d.coerce("25/12/2012") == date(2012, 12, 25)
    assert d.coerce("2012-12-25") == date(2012, 12, 25)
    assert d.from_cell(datetime(2012, 12, 25, 0, 0)) == date(2012, 12, 25)
    assert d.from_cell(41268) == date(2012, 12, 25)  # an Excel serial day
    assert d.display(date(2012, 12, 25)) == "25/12/2012"
    with pytest.raises(FieldError, match="not a real date"):
        d.coerce("12/25/2012")
    q = QuarterType()
    assert q.coerce("2012/13 Q2") == Quarter(2012, 2)
    assert q.from_db(q.to_db(Quarter(2012, 4))) == Quarter(2012, 4)
    with pytest.raises(FieldError, match="whole year"):
        q.coerce("2012/13")
    y = YearType()
    assert y.coerce("2013-14") == FinancialYear(2013)
    assert y.to_db(FinancialYear(2013)) == 2013
    with pytest.raises(FieldError, match="is a quarter"):
        y.coerce("2013/14 Q1")
    yn = YesNo()
    assert yn.coerce("yes") is True and yn.coerce("N") is False
    assert yn.display(True) == "Yes"


def test_choices_by_key_or_label_and_multichoice_order():
    c = Choice(options=(("colocate", "Co-locate"), ("housing", "Redevelop for housing")))
    assert c.coerce("co-locate") == "colocate"
    assert c.coerce("REDEVELOP FOR HOUSING") == "housing"
    with pytest.raises(FieldError, match="one of Co-locate, Redevelop for housing"):
        c.coerce("sell")
    m = MultiChoice(options=cap.PARTNERS)
    assert m.coerce("Police; NHS") == ("nhs", "police")  # kept in the list's order
    assert m.display(("nhs", "police")) == "NHS; Police"
    assert m.from_db(m.to_db(("nhs", "fire"))) == ("nhs", "fire")


def test_text_is_tidied_and_limited():
    assert Text().coerce("  Oxford   city  ") == "Oxford city"
    assert LongText().coerce("line one  \r\nline two\n\n") == "line one\nline two"
    with pytest.raises(FieldError, match="at most 5"):
        Text(max_length=5).coerce("too long")


# ---- declarations ----------------------------------------------------------------------


def test_a_declaration_that_contradicts_itself_is_refused():
    with pytest.raises(ValueError, match="required reference"):
        Register(
            key="x.y",
            title="X",
            item="x",
            table="x",
            ref_prefix="X",
            feature="x",
            parent="p",
            fields=(Field("p", "Parent", Reference(register="x")),),
        )
    with pytest.raises(ValueError, match="no field"):
        Register(
            key="x",
            title="X",
            item="x",
            table="x",
            ref_prefix="X",
            feature="x",
            fields=(Field("a", "A", Text()),),
            label_fields=("b",),
        )
    with pytest.raises(ValueError, match="totalled"):
        Field("a", "A", Text(), total=True)


def test_catalog_families_and_ref_prefixes_are_distinct():
    assert family_keys() == ("cap", "experts", "savings", "pipeline", "timelines")
    assert [r.key for r in family("cap")] == ["cap", "cap.assets", "cap.planned", "cap.realised"]
    prefixes = [r.ref_prefix for r in all_registers().values()]
    assert len(prefixes) == len(set(prefixes))
    with pytest.raises(Exception, match="no register called 'nope'"):
        register("nope")


def test_every_declared_register_matches_its_table(workspace):
    for reg in all_registers().values():
        info = workspace.db.execute(f"PRAGMA table_info({reg.table})").fetchall()
        columns = {row[1]: row[2] for row in info}
        expected = {"id": "INTEGER", "ref": "TEXT", **{f.name: f.type.sql_type for f in reg.fields}}
        assert columns == expected, reg.key
        # and the declaration still produces the statement the migrations froze (a column
        # added later by ALTER TABLE is written on the same line: spacing aside)
        sql = workspace.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", [reg.table]
        ).fetchone()[0]
        assert "".join(sql.split()) == "".join(create_table_sql(reg)[0].split())


def test_features_are_declared():
    keys = [f.key for f in features()]
    assert keys[:3] == ["cap", "experts", "savings"] or {"cap", "experts", "savings"} <= set(keys)


# ---- the store -----------------------------------------------------------------------------


def _engagement(ws, **over):
    values = {
        "expert": "Helen Carter",
        "organisation": "Cherwell District Council",
        "specialism": "renegotiation",
        "purpose": "Renegotiate the four largest contracts",
        "days_agreed": "20",
        "start_date": "01/05/2012",
        "end_date": "31/03/2013",
        "expected_saving": "£1m",
    } | over
    return store.create(ws, experts.ENGAGEMENTS, values)


def test_create_assigns_refs_that_are_never_reused(workspace):
    a = _engagement(workspace)
    b = _engagement(workspace, expert="David Okafor")
    assert (a.ref, b.ref) == ("EXP-001", "EXP-002")
    assert b["expected_saving"] == 100_000_000
    assert b["days_agreed"] == Decimal("20.0")
    store.delete(workspace, experts.ENGAGEMENTS, b.id)
    c = _engagement(workspace, expert="Ruth Simmonds")
    assert c.ref == "EXP-003"  # EXP-002 stays the deleted engagement's
    assert [r.ref for r in store.list_records(workspace, experts.ENGAGEMENTS)] == [
        "EXP-001",
        "EXP-003",
    ]


def test_bad_values_are_refused_field_by_field_and_nothing_is_written(workspace):
    with pytest.raises(store.RecordError) as caught:
        _engagement(workspace, days_agreed="0.25", start_date="31/02/2012", expert="")
    problems = caught.value.problems
    assert set(problems) == {"days_agreed", "start_date", "expert"}
    assert problems["expert"] == "is needed"
    assert "Days agreed:" in str(caught.value)
    assert store.count(workspace, experts.ENGAGEMENTS) == 0
    assert workspace.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_update_writes_and_audits_only_what_changed(workspace):
    eng = _engagement(workspace)
    same = store.update(workspace, experts.ENGAGEMENTS, eng.id, {"expert": "Helen Carter"})
    assert same["expert"] == "Helen Carter"
    changed = store.update(
        workspace, experts.ENGAGEMENTS, eng.id, {"days_agreed": "22.5", "expected_saving": "900k"}
    )
    assert changed["days_agreed"] == Decimal("22.5")
    history = audit.history(workspace, experts.ENGAGEMENTS, eng.id)
    assert [c.action for c in history] == ["changed", "created"]
    items = {i.field: (i.old, i.new) for i in history[0].items}
    assert items == {
        "days_agreed": ("20.0", "22.5"),
        "expected_saving": ("£1,000,000.00", "£900,000.00"),
    }
    assert history[0].who == "Alex Morgan"
    assert history[0].summary == "Changed Days agreed, Expected saving"


def test_children_link_by_ref_and_unknown_refs_are_refused(workspace):
    eng = _engagement(workspace)
    day = store.create(
        workspace,
        experts.DAYS,
        {"engagement": "exp-001", "date": "02/05/2012", "days": "0.5", "work": "Kick-off"},
    )
    assert day["engagement"] == Link(eng.id, "EXP-001", "Helen Carter")
    assert day.parent_id == eng.id
    with pytest.raises(store.RecordError, match="there is no engagement EXP-009"):
        store.create(
            workspace,
            experts.DAYS,
            {"engagement": "EXP-009", "date": "02/05/2012", "days": "1", "work": "x"},
        )


def test_unique_periods_are_refused_with_the_record_that_has_it(workspace):
    plan = _plan(workspace)
    store.create(workspace, cap.PLANNED, {"plan": plan.link(), "year": "2012/13", "jobs": "5"})
    with pytest.raises(
        store.RecordError, match=r"already has outputs planned for that year \(PLN-001\)"
    ):
        store.create(workspace, cap.PLANNED, {"plan": plan.link(), "year": "2012/13", "jobs": "6"})
    first = store.list_records(workspace, cap.PLANNED)[0]
    copy = store.duplicate_values(workspace, cap.PLANNED, first)
    assert copy["year"] == FinancialYear(2013)  # a copy moves on to the next free year
    assert store.create(workspace, cap.PLANNED, copy)["jobs"] == Decimal("5.0")


def _plan(ws, **over):
    values = {
        "title": "Public estate",
        "wave": "2",
        "status": "approved",
        "lga_investment": "50,000",
        "match_funding": "60,000",
        "start_date": "01/04/2012",
        "end_date": "31/03/2022",
    } | over
    return store.create(ws, cap.PLAN, values)


def test_delete_takes_children_and_restore_puts_everything_back(workspace):
    eng = _engagement(workspace)
    for i in range(3):
        store.create(
            workspace,
            experts.DAYS,
            {
                "engagement": eng.link(),
                "date": date(2012, 5, 2 + i),
                "days": "1",
                "work": f"day {i}",
            },
        )
    line = store.create(
        workspace,
        savings.LINES,
        {
            "workstream": "expert",
            "title": "Waste contract",
            "target": "400k",
            "start": "2012/13 Q1",
            "engagement": eng.link(),
        },
    )
    before = store.list_records(workspace, experts.DAYS)
    gone = store.delete(workspace, experts.ENGAGEMENTS, eng.id)
    assert gone.count == 4
    assert store.count(workspace, experts.DAYS) == 0
    assert store.get_record(workspace, savings.LINES, line.id)["engagement"] is None  # cleared
    store.restore(workspace, gone)
    after = store.list_records(workspace, experts.DAYS)
    assert [(d.id, d.ref, d["work"]) for d in after] == [(d.id, d.ref, d["work"]) for d in before]
    assert store.get_record(workspace, savings.LINES, line.id)["engagement"].ref == "EXP-001"
    actions = [c.action for c in audit.history(workspace, experts.ENGAGEMENTS, eng.id)]
    assert actions[:2] == ["restored", "restored"] and "deleted" in actions
    line_history = audit.history(workspace, savings.LINES, line.id)
    assert [(c.action, c.items[0].new) for c in line_history[:2]] == [
        ("changed", "EXP-001 Helen Carter"),
        ("changed", ""),
    ]


def test_history_includes_the_records_below(workspace):
    eng = _engagement(workspace)
    day = store.create(
        workspace,
        experts.DAYS,
        {"engagement": eng.link(), "date": "03/05/2012", "days": "1", "work": "Review"},
    )
    store.update(workspace, experts.DAYS, day.id, {"days": "0.5"})
    history = audit.history(workspace, experts.ENGAGEMENTS, eng.id)
    assert [(c.register, c.action) for c in history] == [
        ("experts.days", "changed"),
        ("experts.days", "created"),
        ("experts", "created"),
    ]
    assert history[0].items[0].label == "Days" and history[0].items[0].new == "0.5"


def test_a_failed_write_inside_a_larger_transaction_leaves_nothing(workspace):
    with pytest.raises(store.RecordError), workspace.atomic():
        _engagement(workspace)
        _engagement(workspace, specialism="juggling")
    assert store.count(workspace, experts.ENGAGEMENTS) == 0


def test_demo_snapshot_is_json_ready_with_money_in_pence(demo_workspace):
    for feature in features():
        if feature.key in {"cap", "experts", "savings"}:
            data = feature.snapshot(demo_workspace, Quarter(2012, 4))
            text = json.dumps(data)
            assert "Decimal" not in text
    snap = savings.snapshot(demo_workspace, Quarter(2012, 4))
    assert isinstance(snap["by_basis"][0]["period"]["realised_pence"], int)
    assert all(isinstance(r["target_pence"], int) for r in snap["records"]["savings"])
    later = savings.snapshot(demo_workspace, Quarter(2012, 2))["records"]["savings.realised"]
    assert all(r["quarter"] <= "2012Q2" for r in later)


def test_every_amount_of_money_in_a_return_is_keyed_as_pence(demo_workspace):
    """docs/return-format.md: money is integer pence in a key ending ``_pence``.

    A reader (the printed return, the LGA's consolidation) must never take
    pence for pounds, so no money field may appear under its bare name.
    """
    from lga_desktop.registers.catalog import family
    from lga_desktop.registers.fields import Money

    def keys_in(value):
        if isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from keys_in(v)
        elif isinstance(value, list):
            for v in value:
                yield from keys_in(v)

    for feature in features():
        if feature.key not in {"cap", "experts", "savings", "pipeline"}:
            continue
        data = feature.snapshot(demo_workspace, Quarter(2012, 4))
        money = {
            f.name for reg in family(feature.key) for f in reg.fields if isinstance(f.type, Money)
        }
        assert money, feature.key
        found = set(keys_in(data))
        assert not money & found, f"{feature.key}: money under a bare name {money & found}"
        assert {f"{m}_pence" for m in money} & found, feature.key
    cap_snap = cap.snapshot(demo_workspace, Quarter(2012, 4))
    assert cap_snap["funding"]["lga_investment_pence"] > 0
    capex = next(o for o in cap_snap["outputs_against_plan"] if o["output"] == "capex_reduced")
    assert capex["unit"] == "pence" and isinstance(capex["planned_year"], int)
    days = experts.snapshot(demo_workspace, Quarter(2012, 4))["days"]
    assert isinstance(days["realised_saving_pence"], int)


def test_demo_workspace_fills_a_year_of_each_register(demo_workspace):
    counts = register_counts(demo_workspace)
    assert counts["CAP business plans"] == 1
    assert counts["Outputs planned"] == 10 and counts["Outputs realised"] == 4
    assert counts["Expert engagements"] == 4 and counts["Day log"] > 40
    assert counts["Savings lines"] >= 10 and counts["Realised by quarter"] > 30
    codes = {f.code for f in savings.validate(demo_workspace, Quarter(2012, 4))}
    codes |= {f.code for f in experts.validate(demo_workspace, Quarter(2012, 4))}
    codes |= {f.code for f in cap.validate(demo_workspace, Quarter(2012, 4))}
    assert codes == {
        "savings.no_evidence",
        "experts.days_beyond_agreed",
        "cap.realised_far_above_plan",
    }


def test_a_workspace_from_before_the_registers_gains_them_on_opening(tmp_path):
    from lga_desktop.db import WORKSPACE_APPLICATION_ID, connect, migrate
    from lga_desktop.workspace import Workspace

    path = tmp_path / "old.lgaws"
    db = connect(path)
    db.execute(f"PRAGMA application_id = {WORKSPACE_APPLICATION_ID}")
    assert migrate(db, stop_before="0002_registers") == 1
    with db.atomic():
        db.execute("INSERT INTO meta (key, value) VALUES ('council_gss', '\"E07000178\"')")
    db.close()
    with Workspace.open(path) as ws:
        assert ws.schema_version >= 2
        assert ws.list_backups()  # taken before the upgrade
        eng = _engagement(ws)
        assert store.get_record(ws, experts.ENGAGEMENTS, eng.id)["expert"] == "Helen Carter"
