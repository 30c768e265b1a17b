// `npm start`: opens the desktop app when this checkout can (Electron's binary installed; the
// first start also builds better-sqlite3 for Electron's ABI beside node_modules, see binary.ts);
// otherwise says why in one line and starts the browser mode of the same dashboard
// (precond serve --open), printing its URL.
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopPlan } from './binary.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const plan = desktopPlan((line) => process.stderr.write(`${line}\n`));
if (plan.kind === 'desktop') {
  const child = spawn(plan.binary, [projectRoot, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, ...plan.env } });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(`${plan.reason}: starting the browser mode of the dashboard instead.\n`);
  const { serve } = await import('../cli/commands/serve.ts');
  const open = !process.argv.includes('--no-open') && !process.env.CI;
  try {
    await serve({ port: 0, host: '127.0.0.1', open });
  } catch (err) {
    process.stderr.write(`precond: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exit(1);
  }
}
