"""One colour per drawn run for the whole window (issue 30): a colour-blind-safe palette of at least ten,
no two runs held at once share a colour, a run keeps its colour while held, and the Runs table's swatch
is its curve's colour because both come from the one RunColours."""

from __future__ import annotations

from gru_studio.engine.training.events import EpochRecord
from gru_studio.gui.common.run_colours import OKABE_ITO, PALETTE, RunColours, extra_colour

HISTORY = [EpochRecord(1, 9.0, None, 1000.0, 0.5, 0.1), EpochRecord(2, 7.0, None, 1000.0, 0.5, 0.2)]


def test_the_palette_is_okabe_ito_then_tol_and_holds_ten_distinct_colours() -> None:
    assert len(set(PALETTE)) == len(PALETTE) >= 10
    assert PALETTE[: len(OKABE_ITO)] == OKABE_ITO and "#000000" not in PALETTE  # black is the axes' colour


def test_no_two_held_runs_share_a_colour_even_past_the_palette() -> None:
    colours = RunColours()
    taken = [colours.take(run_id) for run_id in range(40)]
    assert len(set(taken)) == 40
    assert taken[: len(PALETTE)] == list(PALETTE)
    assert len({extra_colour(n) for n in range(40)}) == 40


def test_a_run_keeps_its_colour_while_held_and_a_freed_colour_goes_to_the_next_run() -> None:
    colours = RunColours()
    first, second, third = colours.take(1), colours.take(2), colours.take(3)
    assert colours.take(2) == second  # a second holder (the plot, after the table): the same colour
    colours.release(2)
    assert colours.colour_of(2) == second  # still held once
    colours.release(2)
    assert colours.colour_of(2) is None
    assert colours.take(4) == second  # the first free one
    assert colours.take(2) not in {first, second, third}  # its old one is taken now: another
    assert len(set(colours.held().values())) == len(colours.held()) == 4


def test_a_run_released_and_taken_again_gets_its_old_colour_back() -> None:
    colours = RunColours()
    colours.take(1)
    mine = colours.take(2)
    colours.release(2)
    colours.take(3)  # takes the first free: 2's
    colours.release(3)
    assert colours.take(2) == mine


def test_a_window_run_recorded_keeps_its_colour_under_its_store_id() -> None:
    colours = RunColours()
    colours.take(5)
    colour = colours.take(("window", 1))
    colours.rekey(("window", 1), 17)
    assert colours.colour_of(17) == colour and colours.colour_of(("window", 1)) is None
    assert colours.take(17) == colour  # the Runs table ticking run #17 shows the curve's colour


def test_the_plot_draws_each_run_in_the_colour_the_table_holds_for_it(panel) -> None:
    table = panel.colours  # the Runs table's view of it (the window hands it the plot's)
    panel.begin_run("current", "scratch")
    panel.add_point(1, 9.0)
    panel.mark_recorded(30)
    swatches = {run_id: table.take(run_id) for run_id in (31, 32, 33)}  # ticked, before their curves come
    for run_id in swatches:
        panel.add_overlay(run_id, "x", swatches[run_id], HISTORY)
    drawn = {run.key: run.colour for run in [*panel.runs, *panel.overlays.values()]}
    assert drawn == {30: panel.runs[0].colour, **swatches}
    assert len(set(drawn.values())) == 4
    assert {key: entry.colour for key, entry in panel.legend.entries.items()} == drawn  # the legend's swatches


def test_ticking_the_finished_current_run_draws_it_once_and_keeps_it_after_the_next_run_begins(panel) -> None:
    panel.begin_run("first", "scratch")
    panel.add_point(1, 9.0)
    panel.mark_recorded(7)
    colour = panel.runs[0].colour
    assert panel.colours.take(7) == colour  # the table's swatch: the curve's colour
    panel.add_overlay(7, "first", colour, HISTORY)
    assert panel.curve_count() == 1 and panel.legend.names() == ["#7 scratch GRU"]
    panel.begin_run("second", "builtin")
    assert list(panel.overlays) == [7] and panel.overlays[7].colour == colour  # ticked: it stays, same colour
    assert panel.runs[-1].colour != colour
    panel.remove_overlay(7)
    panel.colours.release(7)  # the table's hold
    assert panel.curve_count() == 1 and panel.colours.colour_of(7) is None
