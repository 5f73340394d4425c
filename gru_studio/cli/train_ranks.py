"""`gru-studio train` under torchrun: every process trains its share, rank 0 alone speaks and writes.

Started by `torchrun --nproc-per-node N -m gru_studio train ...`, each process
joins the group first (engine/hardware/distributed.py), so that a resumed checkpoint
restores this rank's RNG state and the model is built on this rank's device.
The other ranks run the same command with their output muted, without --save
and without recording: one run in the history, one checkpoint, one report.
Their errors still reach the terminal (main prints them after the mute ends),
and torchrun stops the whole job when any process exits non-zero (and then
prints its own report of which process failed, with its own traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import os

from gru_studio.engine.hardware import distributed

DEVICE = "TrainConfig.device"  # where cli/flags.py keeps --device in the parsed arguments


def run_train_ranks(args: argparse.Namespace) -> int:
    from gru_studio.cli.train import run_train

    group = distributed.start(getattr(args, DEVICE))
    if group is None:
        return run_train(args)
    try:
        if args.resume is None:  # a resumed run's batch size is the checkpoint's: the trainer checks that one
            distributed.check_batch(group, getattr(args, "TrainConfig.batch_size"))
        setattr(args, DEVICE, distributed.device_for(group, getattr(args, DEVICE)))
        if group.is_main:
            status = run_train(args)
        else:
            args.save, args.no_record = None, True
            with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
                status = run_train(args)
    except BaseException:
        distributed.stop(together=False)
        raise
    distributed.stop(together=True)
    return status
