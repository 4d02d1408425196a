/**
 * The token vocabulary of a model: the special tokens, then every SHIFT / NOTE / DUR / REPEAT token
 * that occurs in the (augmented) training corpus. Saved with the model as its list of token strings.
 */
import type { GridPiece } from '../common/types.js';
import type { EncodingConfig } from './config.js';
import { BOS, EOS, PAD, SPECIAL_TOKENS, UNK, parseTokenName, pieceEvents, tokenName } from './events.js';
import type { EventKind } from './events.js';
import { InputError } from '../common/options.js';

export const KIND_SPECIAL = 0;
export const KIND_SHIFT = 1;
export const KIND_NOTE = 2;
export const KIND_DUR = 3;
export const KIND_REPEAT = 4;
const KIND_CODE: Record<EventKind, number> = {
  SHIFT: KIND_SHIFT,
  NOTE: KIND_NOTE,
  DUR: KIND_DUR,
  REPEAT: KIND_REPEAT,
};
// REPEAT last: vocabularies of models saved before it existed keep their ids.
const KIND_ORDER: EventKind[] = ['SHIFT', 'NOTE', 'DUR', 'REPEAT'];

export class Vocabulary {
  readonly padId = 0;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  /** Per id: KIND_SPECIAL, KIND_SHIFT, KIND_NOTE, KIND_DUR or KIND_REPEAT. */
  readonly kinds: Uint8Array;
  /** Per id: the step count (SHIFT, DUR), pitch (NOTE) or bars back (REPEAT); 0 for specials. */
  readonly values: Int32Array;
  private readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;
  /** Known values per kind, ascending, with their ids. */
  private readonly byKind: Record<EventKind, { values: number[]; ids: number[] }>;

  private constructor(tokens: string[]) {
    this.tokens = Object.freeze([...tokens]);
    this.ids = new Map(tokens.map((t, i) => [t, i]));
    this.bosId = this.ids.get(BOS)!;
    this.eosId = this.ids.get(EOS)!;
    this.unkId = this.ids.get(UNK)!;
    this.kinds = new Uint8Array(tokens.length);
    this.values = new Int32Array(tokens.length);
    this.byKind = {
      SHIFT: { values: [], ids: [] },
      NOTE: { values: [], ids: [] },
      DUR: { values: [], ids: [] },
      REPEAT: { values: [], ids: [] },
    };
    const entries: { kind: EventKind; value: number; id: number }[] = [];
    tokens.forEach((t, id) => {
      const e = parseTokenName(t);
      if (!e) return;
      this.kinds[id] = KIND_CODE[e.kind];
      this.values[id] = e.value;
      entries.push({ ...e, id });
    });
    entries.sort((a, b) => a.value - b.value);
    for (const e of entries) {
      this.byKind[e.kind].values.push(e.value);
      this.byKind[e.kind].ids.push(e.id);
    }
  }

  /** Specials, then the SHIFT, NOTE, DUR and REPEAT tokens occurring in `pieces` transposed by ±config.transpose. */
  static fromCorpus(pieces: readonly GridPiece[], config: EncodingConfig): Vocabulary {
    const seen: Record<EventKind, Set<number>> = {
      SHIFT: new Set(),
      NOTE: new Set(),
      DUR: new Set(),
      REPEAT: new Set(),
    };
    const [lo, hi] = config.pitchRange;
    for (const piece of pieces) {
      for (const e of pieceEvents(piece, config).events) {
        if (e.kind !== 'NOTE') {
          seen[e.kind].add(e.value);
          continue;
        }
        // Transposition only changes NOTE tokens (notes leaving the range are dropped by transposePiece).
        for (let s = -config.transpose; s <= config.transpose; s++) {
          const p = e.value + s;
          if (p >= lo && p <= hi) seen.NOTE.add(p);
        }
      }
    }
    const tokens: string[] = [...SPECIAL_TOKENS];
    for (const kind of KIND_ORDER)
      for (const v of [...seen[kind]].sort((a, b) => a - b)) tokens.push(tokenName(kind, v));
    return new Vocabulary(tokens);
  }

  /** The vocabulary saved with a model; throws a readable InputError when the list is not a valid one. */
  static fromJSON(tokens: unknown): Vocabulary {
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) {
      throw new InputError('invalid vocabulary: expected a list of token strings');
    }
    if (tokens[0] !== PAD) throw new InputError(`invalid vocabulary: token 0 must be ${PAD}`);
    for (const s of SPECIAL_TOKENS)
      if (!tokens.includes(s)) throw new InputError(`invalid vocabulary: ${s} is missing`);
    const seen = new Set<string>();
    for (const t of tokens as string[]) {
      if (seen.has(t)) throw new InputError(`invalid vocabulary: ${t} appears twice`);
      seen.add(t);
      if (!(SPECIAL_TOKENS as readonly string[]).includes(t) && !parseTokenName(t))
        throw new InputError(`invalid vocabulary: unknown token ${JSON.stringify(t)}`);
    }
    return new Vocabulary(tokens as string[]);
  }

  toJSON(): string[] {
    return [...this.tokens];
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The id of a token; unkId when the vocabulary does not have it. */
  id(token: string): number {
    return this.ids.get(token) ?? this.unkId;
  }

  /** The token of an id; '<unk>' for an id outside the vocabulary. */
  token(id: number): string {
    return Number.isInteger(id) && id >= 0 && id < this.tokens.length ? this.tokens[id] : UNK;
  }

  /** Known values of a kind (ascending) and their ids. */
  known(kind: EventKind): { readonly values: readonly number[]; readonly ids: readonly number[] } {
    return this.byKind[kind];
  }

  /** The id of SHIFT_k / NOTE_p / DUR_d / REPEAT_k, or -1 when absent. */
  eventId(kind: EventKind, value: number): number {
    return this.ids.get(tokenName(kind, value)) ?? -1;
  }

  /** Id of the nearest known value of a kind (ties go to the smaller value), or -1 when the kind is empty. */
  nearest(kind: EventKind, value: number): number {
    const { values, ids } = this.byKind[kind];
    if (!values.length) return -1;
    let best = 0;
    for (let i = 1; i < values.length; i++) {
      if (Math.abs(values[i] - value) < Math.abs(values[best] - value)) best = i;
    }
    return ids[best];
  }
}
