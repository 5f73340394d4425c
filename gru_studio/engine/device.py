"""Which compute devices exist, and turning a user's choice into a torch.device."""

from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from gru_studio.engine.errors import DeviceError


@dataclass(frozen=True)
class DeviceInfo:
    """A device as a picker shows it: available or not, and why not."""

    name: str
    label: str
    available: bool
    reason: str = ""


def list_devices() -> list[DeviceInfo]:
    devices = [DeviceInfo("cpu", "CPU", True)]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(i)
            label = f"CUDA {i}: {props.name} ({props.total_memory / 2**30:.0f} GiB)"
            devices.append(DeviceInfo(f"cuda:{i}", label, True))
    else:
        reason = "this build of PyTorch has no CUDA" if torch.version.cuda is None else "no NVIDIA GPU found"
        devices.append(DeviceInfo("cuda", "CUDA GPU", False, reason))
    if _mps_built():
        ok = torch.backends.mps.is_available()
        devices.append(DeviceInfo("mps", "Apple GPU (MPS)", ok, "" if ok else "MPS is not available on this Mac"))
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
            why = "this PyTorch build has no CUDA support" if torch.version.cuda is None else "no CUDA GPU is visible"
            raise DeviceError(f"Device {name!r} is not available: {why}. Use --device cpu.")
        index = int(match.group(1) or 0)
        if index >= torch.cuda.device_count():
            raise DeviceError(
                f"Device {name!r} is not available: this machine has {torch.cuda.device_count()} CUDA device(s)."
            )
        return torch.device("cuda", index)
    if name == "mps":
        if not (_mps_built() and torch.backends.mps.is_available()):
            raise DeviceError(
                "Device 'mps' is not available: it needs an Apple-silicon Mac and a PyTorch built with MPS."
            )
        return torch.device("mps")
    raise DeviceError(f"Unknown device {name!r}: use auto, cpu, cuda, cuda:N or mps.")


def synchronize(device: torch.device) -> None:
    """Wait for the device's queued work, so that a timer around it is honest; CPU work is never queued."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()
