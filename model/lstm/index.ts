/** The numeric core: LSTM language model training (tfjs + JS cell math, optional worker threads)
 * and stateful inference (the stepper). */
export type * from './types';
export { createLstmTrainer } from './trainer';
export { createLstmStepper } from './stepper';
export { createMixtureStepper } from './mixture-stepper';
export { countParameters, initWeights, weightSpecs } from './weights';
