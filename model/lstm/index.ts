/** The numeric core: LSTM language model training (tfjs) and stateful inference (plain JS). */
export type * from './types';
export { createLstmTrainer } from './trainer';
export { createLstmStepper } from './stepper';
export { countParameters, initWeights, weightSpecs } from './weights';
