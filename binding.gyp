{
  "variables": {
    # The CUDA runtime's headers, where libtorch has CUDA and they are found
    # (scripts/libtorch.js); empty otherwise.
    "cuda_include": "<!(node scripts/libtorch.js --cuda-include)",
    # The gloo headers (Debian's libgloo-dev) that libtorch's c10d headers
    # include, where they are found; empty otherwise (no torch.distributed).
    "gloo_include": "<!(node scripts/libtorch.js --gloo-include)"
  },
  "targets": [
    {
      "target_name": "torchts",
      "sources": [
        "native/addon.cc",
        "native/tensor.cc",
        "native/cpu_allocator.cc",
        "native/data.cc",
        "native/op_call.cc",
        "native/autograd.cc",
        "native/runtime.cc",
        "native/generator.cc",
        "native/cuda.cc",
        "native/serialize.cc",
        "native/jit.cc",
        "native/distributed.cc",
        "native/ddp.cc",
        "native/warnings.cc"
      ],
      "include_dirs": ["<!@(node scripts/libtorch.js --include)"],
      "defines": [
        "_GLIBCXX_USE_CXX11_ABI=<!(node scripts/libtorch.js --abi)"
      ],
      # The C++ standard is the one Node's common.gypi asks for (gnu++17 up to
      # Node 22; gnu++20 for Node 24 and 26, whose V8 headers require it); libtorch
      # builds with either.
      "cflags_cc!": ["-fno-rtti", "-fno-exceptions"],
      # After Node's own -std: libtorch 2.14's headers need C++20, which Node 22's default is not.
      "cflags_cc": ["-frtti", "-fexceptions", "-O2", "-Wno-unused-parameter", "-Wno-deprecated-declarations", "<!@(node scripts/libtorch.js --cxx-std-flag)"],
      "ldflags": [
        "-Wl,--no-as-needed",
        "-Wl,-z,now",
        "-Wl,-rpath,<!(node scripts/libtorch.js --libdir)"
      ],
      "libraries": [
        "-L<!(node scripts/libtorch.js --libdir)",
        "-ltorch",
        "-ltorch_cpu",
        "-lc10"
      ],
      "conditions": [
        # With them, native/cuda.cc reads the caching allocator and device
        # properties (libc10_cuda, libtorch_cuda).
        ["cuda_include!=''", {
          "include_dirs": ["<@(cuda_include)"],
          "defines": ["TORCHTS_CUDA_RUNTIME=1"],
          "libraries": ["-ltorch_cuda", "-lc10_cuda"]
        }],
        # With them, native/distributed.cc binds c10d's stores and Gloo group,
        # and native/ddp.cc its Reducer; native/compat/ stands in for a header
        # libtorch-dev 1.13 leaves out, searched after the system's so that a
        # libtorch shipping the real one uses it.
        ["gloo_include!=''", {
          "include_dirs": ["<@(gloo_include)"],
          "defines": ["TORCHTS_DISTRIBUTED=1"],
          "cflags_cc": ["-idirafter", "<(module_root_dir)/native/compat"]
        }]
      ]
    }
  ]
}
