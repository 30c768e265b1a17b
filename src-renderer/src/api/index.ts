// Picks the transport: window.precond in Electron, else the WebSocket of browser mode with the
// token from the page's URL. Views get the client with useApi().
import { inject, type App, type InjectionKey } from 'vue';
import { ApiClient } from './client.ts';
import { browserHost, electronHost, type Host } from './host.ts';
import { browserBase, ElectronTransport, WebSocketTransport } from './transports.ts';

export interface Api {
  client: ApiClient;
  host: Host;
}

export const API_KEY: InjectionKey<Api> = Symbol('precond-api');

export function createApi(w: Window = window): Api {
  if (w.precond) return { client: new ApiClient(new ElectronTransport(w.precond)), host: electronHost(w.precond) };
  const found = browserBase(w.location.href);
  if (!found) throw new Error('this page was opened without its token: use the URL printed by `precond serve`');
  const wsUrl = found.base.replace(/^http/, 'ws') + 'ws';
  return { client: new ApiClient(new WebSocketTransport(wsUrl)), host: browserHost(found.base) };
}

export function installApi(app: App, api: Api): void {
  app.provide(API_KEY, api);
}

export function useApi(): Api {
  const api = inject(API_KEY);
  if (!api) throw new Error('useApi() outside an app with installApi()');
  return api;
}
