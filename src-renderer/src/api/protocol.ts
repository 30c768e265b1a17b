// The renderer's one door to the backend's protocol (src-main/api/protocol.ts: zod schemas and
// types, no Node imports). Everything in the renderer imports protocol things from here.
export * from '../../../src-main/api/protocol.ts';
