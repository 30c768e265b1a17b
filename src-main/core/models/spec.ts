// What a model is, as plain JSON (stored with each run), and the task it is trained for.
// The loss follows from the task: regression → mean squared error on a linear output;
// classification with 2 classes → one logit, sigmoid + binary cross-entropy with logits
// (`binaryHead: 'sigmoid'`, the default: binary logistic regression proper) or two logits and
// softmax cross-entropy (`binaryHead: 'softmax'`, what torch's CrossEntropyLoss recipes use);
// more classes → softmax cross-entropy. Every loss is the mean over the batch (torch's
// reduction='mean'; MSE averages over rows and outputs, as torch.nn.MSELoss).

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Weight initialization (biases: U(−1/√fan_in, 1/√fan_in) for 'torch', zero otherwise):
 * - torch: torch.nn.Linear's default, kaiming_uniform(a=√5) = U(−1/√fan_in, 1/√fan_in)
 * - he-uniform / he-normal: U(±√(6/fan_in)) / N(0, 2/fan_in)   (torch kaiming_*_, relu gain √2)
 * - xavier-uniform / xavier-normal: U(±√(6/(fan_in + fan_out))) / N(0, 2/(fan_in + fan_out))
 *   (torch xavier_*_, gain 1)
 */
export const INIT_SCHEMES = ['torch', 'he-uniform', 'he-normal', 'xavier-uniform', 'xavier-normal'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export const BINARY_HEADS = ['sigmoid', 'softmax'] as const;
export type BinaryHead = (typeof BINARY_HEADS)[number];

interface CommonSpec {
  /** Default 'torch'. */
  readonly init?: InitScheme;
  /** Only used with 2 classes; default 'sigmoid'. */
  readonly binaryHead?: BinaryHead;
}

/** Linear regression, or logistic/softmax regression for classification. */
export interface LinearSpec extends CommonSpec {
  readonly kind: 'linear';
}

/** Dense layers of the given widths, each followed by `activation`, then a linear output layer. */
export interface MlpSpec extends CommonSpec {
  readonly kind: 'mlp';
  readonly hidden: readonly number[];
  readonly activation: Activation;
}

export type ModelSpec = LinearSpec | MlpSpec;

export type Task =
  | { readonly kind: 'regression'; /** Targets per row, default 1. */ readonly outputs?: number }
  | { readonly kind: 'classification'; readonly classes: number };

/** The loss the task implies (see the file comment). */
export type LossKind = 'mse' | 'sigmoid-cross-entropy' | 'softmax-cross-entropy';

/** A ModelSpec with every default filled in. */
export type ResolvedModelSpec =
  | { readonly kind: 'linear'; readonly init: InitScheme; readonly binaryHead: BinaryHead }
  | {
      readonly kind: 'mlp';
      readonly hidden: readonly number[];
      readonly activation: Activation;
      readonly init: InitScheme;
      readonly binaryHead: BinaryHead;
    };

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`model ${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}

/** Checks a (possibly stored or user-given) spec and fills in defaults; errors name the field. */
export function resolveModelSpec(spec: unknown): ResolvedModelSpec {
  if (typeof spec !== 'object' || spec === null) throw new Error(`model spec must be an object; got ${JSON.stringify(spec)}`);
  const s = spec as Record<string, unknown>;
  const init = oneOf(s.init, INIT_SCHEMES, 'init', 'torch');
  const binaryHead = oneOf(s.binaryHead, BINARY_HEADS, 'binaryHead', 'sigmoid');
  if (s.kind === 'linear') return { kind: 'linear', init, binaryHead };
  if (s.kind === 'mlp') {
    if (!Array.isArray(s.hidden)) throw new Error(`model hidden must be an array of layer widths, e.g. [64, 32]; got ${JSON.stringify(s.hidden)}`);
    s.hidden.forEach((w: unknown, i: number) => {
      if (!isPositiveInt(w)) throw new Error(`model hidden[${i}] must be a positive integer; got ${JSON.stringify(w)}`);
    });
    if (s.activation === undefined) throw new Error(`model activation is required for an mlp (one of ${ACTIVATIONS.join(', ')})`);
    const activation = oneOf(s.activation, ACTIVATIONS, 'activation', 'relu');
    return { kind: 'mlp', hidden: [...(s.hidden as number[])], activation, init, binaryHead };
  }
  throw new Error(`model kind must be "linear" or "mlp"; got ${JSON.stringify(s.kind)}`);
}

/** Output width and loss of a task; checks the task. */
export function headFor(task: Task, binaryHead: BinaryHead): { outputs: number; loss: LossKind } {
  if (task.kind === 'regression') {
    const outputs = task.outputs ?? 1;
    if (!isPositiveInt(outputs)) throw new Error(`regression outputs must be a positive integer; got ${JSON.stringify(task.outputs)}`);
    return { outputs, loss: 'mse' };
  }
  if (task.kind === 'classification') {
    if (!Number.isInteger(task.classes) || task.classes < 2)
      throw new Error(`classification needs an integer number of classes ≥ 2; got ${JSON.stringify(task.classes)}`);
    if (task.classes === 2 && binaryHead === 'sigmoid') return { outputs: 1, loss: 'sigmoid-cross-entropy' };
    return { outputs: task.classes, loss: 'softmax-cross-entropy' };
  }
  throw new Error(`task kind must be "regression" or "classification"; got ${JSON.stringify((task as { kind: unknown }).kind)}`);
}
