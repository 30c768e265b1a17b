// Builds the native kernels with node-gyp. Runs as the project's `install` script (npm install,
// npm ci) and as `npm run build:native`. It never fails the install: if the build or the load
// check fails, it says so and exits 0, and the app runs on the TypeScript kernels.
// PRECOND_NATIVE_BUILD=0 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = dirname(fileURLToPath(import.meta.url));
const addonPath = join(nativeDir, 'build', 'Release', 'precond_native.node');
const shown = relative(process.cwd(), addonPath) || addonPath;

function say(line) {
  process.stderr.write(`precond: ${line}\n`);
}

function giveUp(why, output = '') {
  if (output) process.stderr.write(output.split('\n').slice(-25).join('\n') + '\n');
  try {
    // A half-built or unloadable binary must not be picked up later.
    rmSync(addonPath, { force: true });
  } catch {
    // Nothing more to do: the loader reports an unloadable file at run time.
  }
  say(`the native kernels were not built (${why}); the TypeScript kernels will be used. Retry with: npm run build:native`);
  process.exit(0);
}

// Whatever happens below, the install goes on.
process.on('uncaughtException', (err) => giveUp(`unexpected error: ${err.message}`));

/** node-gyp's entry script: npm's own (npm_config_node_gyp, set in npm scripts), else a local or npm-bundled one. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(nativeDir, '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

/** Node's headers: npm's nodedir setting when given, else the running Node's own include/ if it has one. */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'common.gypi')) ? [`--nodedir=${prefix}`] : [];
}

if (process.env.PRECOND_NATIVE_BUILD === '0') {
  say('PRECOND_NATIVE_BUILD=0: skipping the native kernels; the TypeScript kernels will be used');
  process.exit(0);
}

const gyp = findNodeGyp();
if (!gyp) giveUp('node-gyp not found');

say('building the native kernels (node-gyp)...');
const started = Date.now();
// A Node-API addon is the same for Node and Electron: always build against the local Node's
// headers, even when a packager (electron-builder, @electron/rebuild) points npm at Electron's.
const env = { ...process.env };
for (const key of ['npm_config_runtime', 'npm_config_target', 'npm_config_disturl']) delete env[key];
const result = spawnSync(process.execPath, [gyp, 'rebuild', '--jobs=max', ...nodedirArgs()], {
  cwd: nativeDir,
  env,
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
if (result.error) giveUp(`node-gyp could not run: ${result.error.message}`, output);
if (result.status !== 0) giveUp(`node-gyp exited with status ${result.status}`, output);
if (!existsSync(addonPath)) giveUp(`node-gyp succeeded but ${shown} is missing`, output);

// Load it once, so a binary this Node cannot load is reported now rather than at run time.
try {
  const addon = createRequire(import.meta.url)(addonPath);
  const cpu = addon.cpuFeatures();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  say(`native kernels built in ${seconds} s: ${shown} (${cpu.arch}, CPU path ${cpu.active})`);
} catch (err) {
  giveUp(`the built addon does not load: ${err instanceof Error ? err.message : String(err)}`);
}
