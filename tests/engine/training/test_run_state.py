"""The run's state machine: every allowed change, every forbidden one, and what each state offers."""

from __future__ import annotations

import pytest

from gru_studio.engine.training.run_state import TRANSITIONS, RunMachine, RunState, TransitionError

ID, T, P, S = RunState.IDLE, RunState.TRAINING, RunState.PAUSED, RunState.STOPPING
F, X, E = RunState.FINISHED, RunState.STOPPED, RunState.FAILED

# Written out again here, by hand, so that a change to the table is a decision a test notices.
ALLOWED = {
    (ID, T), (ID, F),
    (T, P), (T, S), (T, F), (T, X), (T, E),
    (P, T), (P, S), (P, F), (P, X), (P, E),
    (S, F), (S, X), (S, E),
    (F, T), (F, ID), (F, F),
    (X, T), (X, ID), (X, F),
    (E, T), (E, ID), (E, F),
}  # fmt: skip
ALL_PAIRS = [(a, b) for a in RunState for b in RunState]


def test_the_table_is_the_one_designed() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED
    assert set(TRANSITIONS) == set(RunState)


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED, key=str))
def test_every_allowed_transition_happens(old: RunState, new: RunState) -> None:
    machine = RunMachine(old)
    assert machine.to(new) is old
    assert machine.state is new


@pytest.mark.parametrize(("old", "new"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_every_other_transition_raises_and_changes_nothing(old: RunState, new: RunState) -> None:
    machine = RunMachine(old)
    with pytest.raises(TransitionError, match=f"from {old.value} to {new.value}"):
        machine.to(new)
    assert machine.state is old
    assert machine.try_to(new) is False and machine.state is old


def test_stop_wins_over_pause() -> None:
    machine = RunMachine(T)
    machine.to(S)
    assert not machine.state.can_pause and not machine.state.can_resume
    assert machine.try_to(P) is False
    assert machine.state is S


def test_a_new_machine_is_idle_and_states_read_as_their_names() -> None:
    assert RunMachine().state is ID
    assert [s.value for s in RunState] == [
        "idle", "training", "paused", "stopping", "finished", "stopped", "failed",
    ]  # fmt: skip
    assert RunState("paused") is P


QUERIES = {
    # query: the states where it is True
    "is_running": {T, P, S},
    "can_train": {ID, F, X, E},
    "can_continue": {F, X, E},
    "can_pause": {T},
    "can_resume": {P},
    "can_stop": {T, P},
    "can_reset": {F, X, E},
    "can_change_settings": {ID, F, X, E},
    "can_open_model": {ID, F, X, E},
}


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_queries(query: str) -> None:
    assert {s for s in RunState if getattr(s, query)} == QUERIES[query]


def test_what_the_queries_offer_the_table_allows() -> None:
    for state in RunState:
        assert state.can_pause == state.allows(P)
        assert not state.can_resume or state.allows(T)
        assert not state.can_stop or state.allows(S)
        assert not state.can_reset or state.allows(ID)
        assert not state.can_continue or state.allows(T)
        assert not state.can_train or state.allows(T)
        assert not state.can_open_model or state.allows(F)


def test_only_from_tells_a_resume_from_a_new_run() -> None:
    ended = RunMachine(F)
    assert ended.try_to(T, only_from=P) is False and ended.state is F
    paused = RunMachine(P)
    assert paused.try_to(T, only_from=P) is True and paused.state is T
