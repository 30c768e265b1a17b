// Whether a chart can be seen: its canvas near the viewport (IntersectionObserver) and the page
// not hidden. Charts skip redraws nobody can see and catch up when they come into view: on a
// live run every redraw is time taken from the training it shows.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** Canvases this close to the viewport count as on screen (drawn before they scroll in). */
const MARGIN = '200px 0px';

/** True while `target` is on (or near) the screen of a visible page; true where that cannot be observed. */
export function useOnScreen(target: Ref<Element | null>): Ref<boolean> {
  const onScreen = ref(true);
  let intersecting = true;
  let observer: IntersectionObserver | null = null;
  const update = () => {
    onScreen.value = intersecting && !(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  };
  onMounted(() => {
    document.addEventListener('visibilitychange', update);
    if (target.value && typeof IntersectionObserver === 'function') {
      observer = new IntersectionObserver(
        (entries) => {
          intersecting = entries[entries.length - 1].isIntersecting;
          update();
        },
        { rootMargin: MARGIN },
      );
      observer.observe(target.value);
    }
    update();
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    document.removeEventListener('visibilitychange', update);
  });
  return onScreen;
}
