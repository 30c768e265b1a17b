# The precond native kernels: one Node-API addon (fixed NAPI_VERSION, so the same binary loads
# in Node and in Electron), built by node-gyp from `npm install` (see build.mjs). No -march:
# the AVX2/AVX-512 kernels carry per-function target attributes and are picked at run time.
{
  'targets': [
    {
      # The optimizer and model kernels, a library of its own for its floating-point flags:
      # no contraction into FMA (JavaScript never fuses, and the kernels must give the
      # TypeScript reference's bits), sqrt without errno (so it is one instruction and loops
      # vectorize), and no trap semantics (guarded divisions may be computed unconditionally and
      # selected, which vectorizes; values are unchanged, Node never unmasks FP exceptions).
      'target_name': 'precond_elementwise',
      'type': 'static_library',
      'sources': [
        'src/elementwise_generic.cc',
        'src/elementwise_avx2.cc',
        'src/elementwise_avx512.cc',
      ],
      'cflags_cc': ['-O3', '-fPIC', '-ffp-contract=off', '-fno-math-errno', '-fno-trapping-math', '-fvisibility=hidden', '-Wno-psabi'],
      'xcode_settings': {
        'OTHER_CPLUSPLUSFLAGS': ['-O3', '-ffp-contract=off', '-fno-math-errno', '-fno-trapping-math', '-std=c++17'],
        'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES',
        'MACOSX_DEPLOYMENT_TARGET': '11.0',
      },
    },
    {
      'target_name': 'precond_native',
      'sources': [
        'src/addon.cc',
        'src/args.cc',
        'src/cpu.cc',
        'src/elementwise_binding.cc',
        'src/gemm_generic.cc',
        'src/gemm_avx2.cc',
        'src/gemm_avx512.cc',
        'src/gemm_avx512_layout.cc',
      ],
      'dependencies': [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api",
        'precond_elementwise',
      ],
      'defines': ['NAPI_VERSION=8'],
      # gnu++17 comes from Node's common.gypi; contraction into FMA is asked for explicitly
      # because clang (macOS) and ISO modes default to no cross-statement contraction.
      'cflags_cc': ['-O3', '-ffp-contract=fast', '-fvisibility=hidden', '-Wno-psabi'],
      'xcode_settings': {
        'OTHER_CPLUSPLUSFLAGS': ['-O3', '-ffp-contract=fast', '-std=c++17'],
        'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES',
        'MACOSX_DEPLOYMENT_TARGET': '11.0',
      },
    },
  ],
}
