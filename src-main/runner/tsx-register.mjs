// Preloaded (`--import`) into a pool worker whose entry is TypeScript (tests, tsx, the CLI in a
// checkout): registers tsx's ESM loader in that thread. tsx's own `--import tsx` registers only
// in the main thread on Node 20, so workers need this explicit call.
import { register } from 'tsx/esm/api';

register();
