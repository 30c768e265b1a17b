// Public surface of the schedules: pure step → lr functions, the plateau state machine, the
// registry of names and parameters, and JSON configs.
export * from './schedules.ts';
export * from './plateau.ts';
export * from './registry.ts';
