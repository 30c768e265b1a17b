// Serves a folder over loopback HTTP (the dev-only component gallery, src-renderer/gallery.html,
// built by buildPage of dashboard.ts). Run directly to look at it in a browser:
//   node --import tsx test/helpers/gallery.ts [port]
import { createReadStream, mkdtempSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage } from './dashboard.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/** Serves `dir` read-only on 127.0.0.1 (a random port unless given); paths outside it are refused. */
export function serveDir(dir: string, port = 0): Promise<StaticServer> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'gallery.html' : path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let ok = false;
    try {
      ok = statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const p = typeof address === 'object' && address ? address.port : port;
      resolveServer({ url: `http://127.0.0.1:${p}/gallery.html`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = mkdtempSync(join(tmpdir(), 'precond-gallery-'));
  await buildPage(out, 'gallery');
  const s = await serveDir(out, Number(process.argv[2] ?? 0));
  process.stdout.write(`gallery built in ${out}\nopen ${s.url}  (Ctrl-C to stop)\n`);
}
