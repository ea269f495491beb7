import {
  binaryCrossEntropyFromLogits,
  halfMeanSquaredError,
  hingeLoss,
  huberLoss,
  type Loss,
  l1Penalty,
  l2Penalty,
  linearRegression,
  logisticRegression,
  type Model,
  meanAbsoluteError,
  meanSquaredError,
  mlp,
  type Penalty,
  polynomialRegression,
  softmaxCrossEntropy,
  softmaxRegression,
} from '@downhill/models';
import { type ComponentCatalog, choice, integer, number, numbers } from './component-catalog.js';
import { ConfigError } from './config-error.js';

/** The losses a config can name (`loss`). */
export const lossCatalog: ComponentCatalog<Loss> = {
  mse: { summary: 'mean squared error', options: {}, create: () => meanSquaredError },
  'half-mse': { summary: 'half the mean squared error', options: {}, create: () => halfMeanSquaredError },
  mae: { summary: 'mean absolute error', options: {}, create: () => meanAbsoluteError },
  huber: {
    summary: 'Huber loss',
    options: { delta: number({ above: 0 }) },
    create: (o) => huberLoss(o.delta as number | undefined),
  },
  hinge: { summary: 'hinge loss (targets -1 / +1)', options: {}, create: () => hingeLoss },
  'binary-cross-entropy': {
    summary: 'binary cross-entropy on logits (targets 0 / 1)',
    options: {},
    create: () => binaryCrossEntropyFromLogits,
  },
  'cross-entropy': {
    summary: 'softmax cross-entropy (one-hot targets)',
    options: {},
    create: () => softmaxCrossEntropy,
  },
};

/** What a model is built with besides its own options: the data's shape and the chosen loss. */
export interface ModelContext {
  readonly inputs: number;
  readonly outputs: number;
  readonly loss: Loss | undefined;
  /** Name of the chosen loss, for errors. */
  readonly lossName: string | undefined;
}

function penaltiesOf(options: Readonly<Record<string, unknown>>): Penalty[] {
  const penalties: Penalty[] = [];
  if (typeof options.l2 === 'number' && options.l2 > 0) penalties.push(l2Penalty(options.l2));
  if (typeof options.l1 === 'number' && options.l1 > 0) penalties.push(l1Penalty(options.l1));
  return penalties;
}

function fixedLoss(model: string, context: ModelContext, accepted: string): void {
  if (context.lossName !== undefined && context.lossName !== accepted) {
    throw new ConfigError({
      field: 'loss',
      problem: `the ${model} model has its own loss (${accepted}), got ${JSON.stringify(context.lossName)}`,
      allowed: [accepted],
    });
  }
}

const penalties = { l1: number({ min: 0 }), l2: number({ min: 0 }) };

/** The models a config can name (`model.type`); `inputs` and `outputs` come from the data columns. */
export const modelCatalog: ComponentCatalog<Model, ModelContext> = {
  linear: {
    summary: 'linear regression y = W x + b (parameters: weights, then biases)',
    options: penalties,
    create: (o, c) =>
      linearRegression({
        inputs: c.inputs,
        outputs: c.outputs,
        penalties: penaltiesOf(o),
        ...(c.loss ? { loss: c.loss } : {}),
      }),
  },
  polynomial: {
    summary: 'polynomial regression in each input up to `degree` (weights x, x^2 ..., then bias)',
    options: { degree: integer({ min: 1 }), ...penalties },
    create: (o, c) =>
      polynomialRegression({
        degree: (o.degree as number | undefined) ?? 2,
        inputs: c.inputs,
        outputs: c.outputs,
        penalties: penaltiesOf(o),
        ...(c.loss ? { loss: c.loss } : {}),
      }),
  },
  logistic: {
    summary: 'logistic regression (binary classification, targets 0 / 1)',
    options: penalties,
    create: (o, c) => {
      fixedLoss('logistic', c, 'binary-cross-entropy');
      return logisticRegression({ inputs: c.inputs, penalties: penaltiesOf(o) });
    },
  },
  softmax: {
    summary: 'softmax regression over `classes` classes (targets: class index)',
    options: { classes: integer({ min: 2 }), ...penalties },
    create: (o, c) => {
      fixedLoss('softmax', c, 'cross-entropy');
      if (o.classes === undefined)
        throw new ConfigError({ field: 'model.classes', problem: 'is required for the softmax model' });
      return softmaxRegression({ inputs: c.inputs, classes: o.classes as number, penalties: penaltiesOf(o) });
    },
  },
  mlp: {
    summary: 'multi-layer perceptron with `hidden` layer sizes; with `classes`, a softmax classifier',
    options: {
      hidden: numbers,
      classes: integer({ min: 2 }),
      activation: choice('relu', 'leaky-relu', 'tanh', 'sigmoid', 'gelu'),
      output: choice('linear', 'softmax'),
      ...penalties,
    },
    create: (o, c) => {
      const hidden = (o.hidden as number[] | undefined) ?? [16];
      for (const [i, size] of hidden.entries()) {
        if (!Number.isInteger(size) || size < 1) {
          throw new ConfigError({
            field: `model.hidden[${i}]`,
            problem: `must be an integer >= 1, got ${size}`,
          });
        }
      }
      const classes = o.classes as number | undefined;
      const output =
        (o.output as 'linear' | 'softmax' | undefined) ?? (classes !== undefined ? 'softmax' : 'linear');
      if (output === 'softmax' && classes === undefined) {
        throw new ConfigError({ field: 'model.classes', problem: 'is required for a softmax output' });
      }
      return mlp({
        layers: [c.inputs, ...hidden, output === 'softmax' ? classes! : c.outputs],
        ...(o.activation ? { activation: o.activation as 'relu' } : {}),
        output,
        ...(c.loss ? { loss: c.loss } : {}),
        penalties: penaltiesOf(o),
      });
    },
  },
};
