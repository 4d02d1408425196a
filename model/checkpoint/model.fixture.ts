import type { LstmConfig } from '../lstm/types.js';
import { Vocabulary } from '../encoding/vocabulary.js';
import { defaultEncodingConfig } from '../encoding/config.js';
import { patternCorpus } from '../train/train.fixture.js';
import { defaultTrainOptions } from '../common/training-options.js';
import { hyperparametersOf, initialTrainingState } from './format.js';
import type { ManifestContent } from './store.js';

/**
 * For the checkpoint tests (only *.test.ts files import this): the manifest content of a tiny model
 * that loadModel opens (a real vocabulary, network settings that fit it), and its network settings
 * for initWeights.
 */
export function tinyModelContent(): { content: ManifestContent; lstm: LstmConfig } {
  const encoding = { ...defaultEncodingConfig('16th'), transpose: 0 };
  const vocab = Vocabulary.fromCorpus(patternCorpus(3), encoding);
  const lstm = { vocabSize: vocab.size, embeddingDim: 4, hiddenSize: 8, numLayers: 1, dropout: 0 };
  const content: ManifestContent = {
    name: 'tiny',
    createdAt: new Date().toISOString(),
    lstm,
    encoding: { ...encoding },
    vocabulary: vocab.toJSON(),
    hyperparameters: hyperparametersOf(defaultTrainOptions(), 0),
    corpus: { files: 3, trainPieces: 2, valPieces: 1, trainTokens: 100, valTokens: 50 },
    history: [],
    state: initialTrainingState(1),
    baselines: null,
  };
  return { content, lstm };
}
