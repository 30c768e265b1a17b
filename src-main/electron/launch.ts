// `npm start`: opens the desktop app when Electron's binary is installed; otherwise says so in
// one line and starts the browser mode of the same dashboard (precond serve --open).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The Electron executable, or null where the npm package was installed without its binary. */
function electronBinary(): string | null {
  try {
    // In plain Node, the electron package exports the path of its binary, and throws when the
    // binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install).
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary) {
  const child = spawn(binary, [projectRoot, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write("Electron's desktop binary is not installed here: starting the browser mode of the dashboard instead.\n");
  const { serve } = await import('../cli/commands/serve.ts');
  const open = !process.argv.includes('--no-open') && !process.env.CI;
  try {
    await serve({ port: 0, host: '127.0.0.1', open });
  } catch (err) {
    process.stderr.write(`precond: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exit(1);
  }
}
