import { type LstmConfig, type NamedTensorData, weightSpecs, type TokenModel } from '../model/index.js';

/**
 * A token bigram model written as the weights of a one-layer LSTM, so that it generates through
 * exactly the same code as the trained LSTM (model/generate: stepper, grammar masks, sampler,
 * decoding). Each step the network forgets its state (forget gate ~0, input and output gates ~1)
 * and its cell holds +1 on the unit of the input token and -1 elsewhere (candidate tanh(+-10));
 * the output layer maps that to the logits ln p(next | input). Hidden size = vocabulary size.
 * Saturated gates make the probabilities exact to float32 rounding (tested).
 */
const GATE = 30; // sigmoid(30) = 1 - 9e-14
const CAND = 10; // tanh(10) = 1 - 4e-9

export function bigramAsLstm(
  model: TokenModel,
  vocabSize: number,
): { config: LstmConfig; weights: NamedTensorData[] } {
  const V = vocabSize;
  const H = V;
  const config: LstmConfig = { vocabSize: V, embeddingDim: V, hiddenSize: H, numLayers: 1, dropout: 0 };
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const a = sig(GATE) * Math.tanh(sig(GATE) * Math.tanh(CAND)); // |h| of every unit
  const data = new Map<string, Float32Array>();
  for (const s of weightSpecs(config)) data.set(s.name, new Float32Array(s.shape.reduce((x, y) => x * y, 1)));
  const emb = data.get('embedding')!; // identity [V, V]
  for (let v = 0; v < V; v++) emb[v * V + v] = 1;
  const kernel = data.get('lstm_0/kernel')!; // [V, 4H]: candidate gate of unit v from token v
  for (let v = 0; v < V; v++) kernel[v * 4 * H + 2 * H + v] = 2 * CAND;
  const bias = data.get('lstm_0/bias')!;
  for (let j = 0; j < H; j++) {
    bias[j] = GATE; // input gate
    bias[H + j] = -GATE; // forget gate
    bias[2 * H + j] = -CAND; // candidate: +10 for the input token's unit, -10 elsewhere
    bias[3 * H + j] = GATE; // output gate
  }
  // Output: logits_k = sum_j h_j W[j,k] + b_k with h_j = a (j = input) or -a (elsewhere).
  // W[j,k] = (L[j,k] - m_k) / 2a and b_k = m_k + a sum_j W[j,k] give logits_k = L[x,k] for input x,
  // where L[j,k] = ln p(k | j) and m_k is the mean over j (centering keeps the sums small).
  const W = data.get('output/kernel')!;
  const b = data.get('output/bias')!;
  const L = new Float64Array(V * V);
  for (let j = 0; j < V; j++)
    for (let k = 0; k < V; k++) L[j * V + k] = Math.log(Math.max(model.prob(j, k), 1e-30));
  for (let k = 0; k < V; k++) {
    let m = 0;
    for (let j = 0; j < V; j++) m += L[j * V + k];
    m /= V;
    let sumW = 0;
    for (let j = 0; j < V; j++) {
      const w = Math.fround((L[j * V + k] - m) / (2 * a));
      W[j * V + k] = w;
      sumW += w;
    }
    b[k] = m + a * sumW;
  }
  return {
    config,
    weights: weightSpecs(config).map((s) => ({ name: s.name, shape: s.shape, data: data.get(s.name)! })),
  };
}
