// What differs between the desktop app and browser mode besides the transport: how a CSV is
// chosen or dropped, and how exports are saved (native dialogs vs uploads and downloads).
import { downloadBlob } from '../export/download.ts';
import type { MenuCommand, PrecondBridge } from './protocol.ts';

export interface Host {
  readonly kind: 'electron' | 'browser';
  /** The native open dialog (Electron only): a path, or null when cancelled. */
  openCsvDialog?: () => Promise<string | null>;
  /** A File picked or dropped: its path (Electron), or the path of its uploaded copy (browser mode). */
  importFile(file: File): Promise<string>;
  /** Saves a run's full export (save dialog, or a download); resolves to where, or null if cancelled. */
  exportRun(id: number, format: 'csv' | 'json'): Promise<string | null>;
  /** Saves bytes made in the page (chart exports). */
  saveBlob(blob: Blob, filename: string): Promise<string | null>;
  /** Application menu commands (Electron). */
  onMenu(listener: (command: MenuCommand) => void): () => void;
}

const FILE_KINDS: Record<string, string> = { png: 'PNG image', svg: 'SVG image', csv: 'CSV table', json: 'JSON data' };

/** The save dialog's file-type filter for a name's extension (none for an unknown one). */
export function saveFilters(filename: string): { name: string; extensions: string[] }[] | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return ext && FILE_KINDS[ext] ? [{ name: FILE_KINDS[ext], extensions: [ext] }] : undefined;
}

export function electronHost(bridge: PrecondBridge): Host {
  return {
    kind: 'electron',
    openCsvDialog: () => bridge.openCsvDialog(),
    async importFile(file) {
      const path = bridge.pathForFile(file);
      if (!path) throw new Error(`${file.name} has no path on disk (was it dragged from another app?); open it with File › Open CSV…`);
      return path;
    },
    exportRun: (id, format) => bridge.saveRunExport(id, format),
    async saveBlob(blob, filename) {
      return bridge.saveFile({ defaultName: filename, data: new Uint8Array(await blob.arrayBuffer()), filters: saveFilters(filename) });
    },
    onMenu: (listener) => bridge.onMenu(listener),
  };
}

export function browserHost(base: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Host {
  return {
    kind: 'browser',
    async importFile(file) {
      const res = await fetchImpl(`${base}api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } });
      const body = (await res.json().catch(() => null)) as { path?: string; error?: { message?: string } } | null;
      if (!res.ok || !body?.path) throw new Error(body?.error?.message ?? `uploading ${file.name} failed (HTTP ${res.status})`);
      return body.path;
    },
    async exportRun(id, format) {
      const a = document.createElement('a');
      a.href = `${base}api/export?id=${id}&format=${format}`;
      a.download = '';
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
      return 'download';
    },
    async saveBlob(blob, filename) {
      downloadBlob(blob, filename);
      return 'download';
    },
    onMenu: () => () => {},
  };
}
