"""torch.cuda and CUDA devices, as the Python torch running this sees them.

Without a GPU (these machines, CI): what each torch.cuda call and each
request for a CUDA device gives, an answer or an error, into
cuda_without_gpu.json. With one (scripts/gpu_check.sh runs this there):
seeded draws on the GPU (the default generators, torch.cuda.manual_seed, a
Generator of its own, the CPU's manual_seed reaching CUDA), a small
training run on it, into cuda_gpu.json, which test/cuda.test.ts compares
with torchts on the same machine.
Run: cd scripts/golden && node ../blas_kernel.js /usr/bin/python3 cuda_api.py

Not named cuda.py: a script's folder comes first on sys.path, and newer
torch (2.14 here) runs `from cuda.bindings import ...` (NVIDIA's
cuda-python) while it imports, which would find this file instead."""
import torch

from _common import encode_tensor, write_fixture


def outcome(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the type and the words are what is recorded
        return {"error": type(e).__name__, "message": str(e).split("\n")[0]}
    if isinstance(value, torch.Tensor):
        return {"tensor": encode_tensor(value.cpu()), "device": str(value.device)}
    if isinstance(value, dict):
        value = dict(value)
    return {"returns": value}


def without_gpu():
    c = torch.cuda
    calls = {
        "is_available": lambda: c.is_available(),
        "device_count": lambda: c.device_count(),
        "is_initialized": lambda: c.is_initialized(),
        "current_device": lambda: c.current_device(),
        "set_device": lambda: c.set_device(0),
        "synchronize": lambda: c.synchronize(),
        "manual_seed": lambda: c.manual_seed(1),
        "manual_seed_all": lambda: c.manual_seed_all(1),
        "seed": lambda: c.seed(),
        "seed_all": lambda: c.seed_all(),
        "initial_seed": lambda: c.initial_seed(),
        "memory_allocated": lambda: c.memory_allocated(),
        "max_memory_allocated": lambda: c.max_memory_allocated(),
        "memory_reserved": lambda: c.memory_reserved(),
        "max_memory_reserved": lambda: c.max_memory_reserved(),
        "memory_allocated_cpu": lambda: c.memory_allocated("cpu"),
        "reset_peak_memory_stats": lambda: c.reset_peak_memory_stats(),
        "empty_cache": lambda: c.empty_cache(),
        "mem_get_info": lambda: c.mem_get_info(),
        "get_device_name": lambda: c.get_device_name(),
        "get_device_properties": lambda: c.get_device_properties(0),
        "get_device_capability": lambda: c.get_device_capability(),
        "init": lambda: c.init(),
        "default_generators": lambda: len(c.default_generators),
    }
    tensors = {
        "ones_device": lambda: torch.ones(2, device="cuda"),
        "ones_device_1": lambda: torch.ones(2, device="cuda:1"),
        "randn_device": lambda: torch.randn(2, device="cuda"),
        "tensor_device": lambda: torch.tensor([1.0], device="cuda"),
        "to": lambda: torch.ones(2).to("cuda"),
        "cuda": lambda: torch.ones(2).cuda(),
        "module_to": lambda: torch.nn.Linear(2, 2).to("cuda"),
        "module_cuda": lambda: torch.nn.Linear(2, 2).cuda(),
        "generator": lambda: torch.Generator("cuda"),
        "pin_memory": lambda: torch.ones(2).pin_memory(),
        "ones_pin_memory": lambda: torch.ones(2, pin_memory=True),
        "is_pinned": lambda: torch.ones(2).is_pinned(),
        "is_cuda": lambda: torch.ones(2).is_cuda,
        "to_non_blocking": lambda: torch.arange(3.0).to(torch.float64, non_blocking=True),
        "to_cpu_non_blocking": lambda: torch.arange(3.0).to("cpu", non_blocking=True),
        "copy_non_blocking": lambda: torch.zeros(3).copy_(torch.arange(3.0), non_blocking=True),
        "mixed_devices": lambda: torch.ones(2) + torch.ones(2, device="meta"),
        "set_device_cpu": lambda: c.set_device("cpu"),
        "set_device_no_index": lambda: c.set_device("cuda"),
    }
    return {
        "built_with_cuda": torch.backends.cuda.is_built(),
        "calls": {name: outcome(fn) for name, fn in calls.items()},
        "tensors": {name: outcome(fn) for name, fn in tensors.items()},
    }


def with_gpu():
    draws = {}
    torch.manual_seed(0)  # seeds every CUDA device too
    draws["manual_seed_randn"] = torch.randn(7, device="cuda")
    draws["then_rand"] = torch.rand(5, device="cuda")
    draws["then_randint"] = torch.randint(0, 100, (6,), device="cuda")
    draws["then_normal_"] = torch.empty(4, device="cuda").normal_(2.0, 3.0)
    draws["then_dropout"] = torch.nn.functional.dropout(torch.ones(12, device="cuda"), 0.5)
    torch.cuda.manual_seed(5)
    draws["cuda_manual_seed_randn"] = torch.randn(6, device="cuda")
    torch.cuda.manual_seed_all(9)
    draws["cuda_manual_seed_all_rand"] = torch.rand(6, device="cuda")
    g = torch.Generator("cuda")
    fresh_seed = g.initial_seed()
    g.manual_seed(3)
    draws["generator_randn"] = torch.randn(5, device="cuda", generator=g)
    draws["default_after_generator"] = torch.randn(3, device="cuda")
    draws = {k: encode_tensor(v.cpu()) for k, v in draws.items()}

    # A few steps of a small MLP on the GPU, from CPU-made weights and data.
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3)).cuda()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    x = torch.randn(32, 8).cuda()
    y = torch.randint(0, 3, (32,)).cuda()
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    props = torch.cuda.get_device_properties(0)
    return {
        "device_count": torch.cuda.device_count(),
        "name": props.name,
        "capability": list(torch.cuda.get_device_capability(0)),
        "total_memory": props.total_memory,
        "multi_processor_count": props.multi_processor_count,
        "generator_initial_seed": str(fresh_seed),
        "draws": draws,
        "mlp_losses": losses,
    }


if torch.cuda.is_available():
    write_fixture("cuda_gpu.json", with_gpu())
else:
    write_fixture("cuda_without_gpu.json", without_gpu())
