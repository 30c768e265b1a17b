// Dev-only gallery of the renderer's visual components with synthetic data. Built by the browser
// tests (test/helpers/gallery.ts); not part of the app's build inputs and not linked from the app.
import { createApp } from 'vue';
import '../components/theme.css';
import Gallery from './Gallery.vue';

createApp(Gallery).mount('#gallery');
