// The run config's defaults, in one place: resolveRunConfig fills them in, the CLI's help names
// them, and the New run form (through the API's protocol module) starts from them.
export const RUN_DEFAULTS = {
  /** An MLP given without widths or activation. */
  mlp: { hidden: [64] as readonly number[], activation: 'relu' },
  training: { epochs: 20, batchSize: 32, seed: 0 },
  data: { valSplit: 0.2, missing: 'drop' as const },
} as const;
