# The precond native kernels: one Node-API addon (fixed NAPI_VERSION, so the same binary loads
# in Node and in Electron), built by node-gyp from `npm install` (see build.mjs). No -march:
# the AVX2/AVX-512 kernels carry per-function target attributes and are picked at run time.
{
  'targets': [
    {
      'target_name': 'precond_native',
      'sources': [
        'src/addon.cc',
        'src/cpu.cc',
        'src/gemm_generic.cc',
        'src/gemm_avx2.cc',
        'src/gemm_avx512.cc',
        'src/gemm_avx512_layout.cc',
      ],
      'dependencies': [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api",
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
