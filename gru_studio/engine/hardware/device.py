"""Which compute devices exist, and turning a user's choice into a torch.device."""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from gru_studio.engine.errors import DeviceError
from gru_studio.engine.messages import QT_TRANSLATE_NOOP, Phrase, phrase


@dataclass(frozen=True)
class DeviceInfo:
    """A device as a picker shows it: available or not, and why not."""

    name: str
    label: str  # "CPU", "CUDA GPU", a card's own name: Phrases where there are words to translate
    available: bool
    reason: str = ""  # a Phrase when not available


def list_devices() -> list[DeviceInfo]:
    devices = [DeviceInfo("cpu", "CPU", True)]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            label = f"CUDA {i}: {props.name} ({props.total_memory / 2**30:.0f} GiB)"  # names and numbers only
            devices.append(DeviceInfo(f"cuda:{i}", label, True))
    else:
        if torch.version.cuda is None:
            reason = phrase(QT_TRANSLATE_NOOP("engine", "this build of PyTorch has no CUDA"))
        else:
            reason = phrase(QT_TRANSLATE_NOOP("engine", "no NVIDIA GPU found"))
        devices.append(DeviceInfo("cuda", phrase(QT_TRANSLATE_NOOP("engine", "CUDA GPU")), False, reason))
    if _mps_built():
        ok = torch.backends.mps.is_available()
        unavailable: Phrase | str = (
            "" if ok else phrase(QT_TRANSLATE_NOOP("engine", "MPS is not available on this Mac"))
        )
        devices.append(DeviceInfo("mps", phrase(QT_TRANSLATE_NOOP("engine", "Apple GPU (MPS)")), ok, unavailable))
    return devices


def _mps_built() -> bool:
    return bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_built()


def resolve_device(name: str) -> torch.device:
    """auto | cpu | cuda | cuda:N | mps -> torch.device, or a DeviceError that says why not."""
    name = name.strip().lower()
    if name == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_built() and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cpu":
        return torch.device("cpu")
    match = re.fullmatch(r"cuda(?::(\d+))?", name)
    if match:
        if not torch.cuda.is_available():
            if torch.version.cuda is None:
                why = phrase(QT_TRANSLATE_NOOP("engine", "this PyTorch build has no CUDA support"))
            else:
                why = phrase(QT_TRANSLATE_NOOP("engine", "no CUDA GPU is visible"))
            raise DeviceError(
                QT_TRANSLATE_NOOP("engine", "Device {name!r} is not available: {why}. Use --device cpu."),
                name=name,
                why=why,
            )
        index = int(match.group(1) or 0)
        if index >= torch.cuda.device_count():
            raise DeviceError(
                QT_TRANSLATE_NOOP(
                    "engine", "Device {name!r} is not available: this machine has {count} CUDA device(s)."
                ),
                name=name,
                count=torch.cuda.device_count(),
            )
        return torch.device("cuda", index)
    if name == "mps":
        if not (_mps_built() and torch.backends.mps.is_available()):
            raise DeviceError(
                QT_TRANSLATE_NOOP(
                    "engine",
                    "Device 'mps' is not available: it needs an Apple-silicon Mac and a PyTorch built with MPS.",
                )
            )
        return torch.device("mps")
    raise DeviceError(
        QT_TRANSLATE_NOOP("engine", "Unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps."), name=name
    )


def synchronize(device: torch.device) -> None:
    """Wait for the device's queued work, so that a timer around it is honest; CPU work is never queued."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()
