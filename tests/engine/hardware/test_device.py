import pytest
import torch

from gru_studio.engine.errors import DeviceError
from gru_studio.engine.hardware.device import list_devices, resolve_device


def test_cpu_and_auto() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("CPU ") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type in (expected, "mps")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on a machine without CUDA")
def test_missing_cuda_is_a_clear_error() -> None:
    with pytest.raises(DeviceError, match="not available"):
        resolve_device("cuda:1")
    cuda = [d for d in list_devices() if d.name.startswith("cuda")]
    assert cuda and not cuda[0].available and cuda[0].reason


def test_unknown_device_name() -> None:
    with pytest.raises(DeviceError, match="Unknown device"):
        resolve_device("tpu")


def test_cpu_is_always_listed_first() -> None:
    first = list_devices()[0]
    assert first.name == "cpu" and first.available
