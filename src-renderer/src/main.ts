import { createApp } from 'vue';
import { createPinia } from 'pinia';
import './components/theme.css';
import './app.css';
import App from './App.vue';
import { createApi, installApi } from './api/index.ts';
import { createAppRouter } from './router.ts';

const app = createApp(App);
app.use(createPinia());
app.use(createAppRouter());
try {
  installApi(app, createApi());
} catch (err) {
  document.body.textContent = err instanceof Error ? err.message : String(err);
  throw err;
}
app.mount('#app');
