// Hash history: the same URLs work under app://precond/ and browser mode's /<token>/.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import DatasetsView from './views/DatasetsView.vue';
import NewRunView from './views/NewRunView.vue';
import RunsView from './views/RunsView.vue';
import LiveRunView from './views/LiveRunView.vue';
import PlaygroundView from './views/PlaygroundView.vue';
import CompareView from './views/CompareView.vue';

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/datasets' },
  { path: '/datasets', name: 'datasets', component: DatasetsView, meta: { title: 'Datasets' } },
  { path: '/new', name: 'new-run', component: NewRunView, meta: { title: 'New run' } },
  { path: '/runs', name: 'runs', component: RunsView, meta: { title: 'Runs' } },
  { path: '/runs/:id(\\d+)', name: 'run', component: LiveRunView, props: (r) => ({ id: Number(r.params.id) }), meta: { title: 'Run' } },
  { path: '/compare', name: 'compare', component: CompareView, meta: { title: 'Compare' } },
  { path: '/playground', name: 'playground', component: PlaygroundView, meta: { title: 'Playground' } },
  { path: '/:rest(.*)*', redirect: '/datasets' },
];

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
