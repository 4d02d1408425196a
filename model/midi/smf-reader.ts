/**
 * Reads a Standard MIDI File in one linear pass over its bytes: the chunks, then every event of every
 * track. A problem that breaks the file's structure becomes a MidiImportError with a precise reason
 * (not MIDI, truncated header or track, a track length past the end of the file, bad variable-length
 * number, running status without a status byte, a status byte where a data byte belongs, too large,
 * too many notes). One odd event never costs the file: a tempo outside 10-1000 bpm is kept (slow) or
 * clamped (fast, or zero), a meta event of the wrong length, a stray system message, an empty track
 * chunk or a delta time past the length limit is skipped, and each is reported in `warnings`. What the
 * reader reads but the app does not use (pitch bends, controllers, aftertouch, later program
 * changes, sysex, text) is counted in `ignored`; sustain pedal (CC64) events are kept in `pedals` for
 * sustain.ts. The pass is bounded by the file size, so it cannot loop forever, and its cost is linear
 * in the number of events.
 *
 * Why not @tonejs/midi's reader: its note pairing is quadratic (a track of 50,000 notes took 30 s here,
 * and a few thousand stray note-offs make it crawl), which a user's large file or a damaged one would
 * turn into a hang. Its results are the oracle of this reader's tests (parse.test.ts compares the two
 * on every Nottingham file); @tonejs/midi writes the files (write.ts) and names the GM instruments.
 *
 * Notes pair first-in first-out per channel and pitch (what @tonejs/midi does); a note-off without a
 * sounding note is ignored; a note still sounding at the end of its track ends there (with a warning).
 */
import { MidiImportError } from './errors.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** Tempos below this are kept as they are (a final ritardando may reach 5 bpm), with a warning. */
export const MIN_BPM = 10;
/** Tempos above this (and a tempo of 0 microseconds per quarter) are clamped to it, with a warning. */
export const MAX_BPM = 1000;
/** Longest piece accepted, in quarter notes (about 28 hours at 120 bpm). */
export const MAX_QUARTERS = 200_000;
/** Most note-on events accepted in one file. */
export const MAX_NOTES = 2_000_000;
const MAX_NAME_CHARS = 256;

export interface RawNote {
  pitch: number;
  startTick: number;
  durationTicks: number;
  velocity: number;
}

/** The notes of one channel of one track chunk. */
export interface RawPart {
  chunk: number; // 1-based index of the track chunk
  channel: number;
  program: number; // the program in effect at the part's first note (0 when none was set)
  name: string; // the chunk's track name ('' when none)
  notes: RawNote[]; // in order of note-off (sorting is the caller's job)
}

/** Events read but not used by the app, counted (every count is reported in the file's warnings). */
export interface IgnoredEvents {
  pitchBends: number;
  /** Controller events by controller number (CC64, the sustain pedal, is in RawSmf.pedals instead). */
  controllers: Record<number, number>;
  channelPressure: number;
  polyPressure: number;
  /** Program changes after a part's first note (a part keeps the program of its first note). */
  programChanges: number;
  sysex: number;
  /** Text meta events: text, copyright, lyrics, markers, cue points, ... (track names are used). */
  textEvents: number;
  /** Note-offs without a sounding note of that channel and pitch. */
  strayNoteOffs: number;
}

export function noIgnoredEvents(): IgnoredEvents {
  return {
    pitchBends: 0,
    controllers: {},
    channelPressure: 0,
    polyPressure: 0,
    programChanges: 0,
    sysex: 0,
    textEvents: 0,
    strayNoteOffs: 0,
  };
}

/** A sustain pedal (CC64) event: down for values 64-127. */
export interface PedalEvent {
  tick: number;
  channel: number;
  down: boolean;
}

export interface RawSmf {
  format: 0 | 1 | 2;
  ppq: number;
  parts: RawPart[]; // in chunk order, then in order of each channel's first note
  tempos: { tick: number; bpm: number }[]; // in file order
  timeSignatures: { tick: number; numerator: number; denominator: number }[];
  keySignatures: { tick: number; sharps: number; minor: boolean }[];
  /** CC64 events of every track, in file order (chunk by chunk). */
  pedals: PedalEvent[];
  ignored: IgnoredEvents;
  /** Things that were repaired or skipped, one readable line each. */
  warnings: string[];
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && at + i < bytes.length; i++) s += String.fromCharCode(bytes[at + i]);
  return s;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
}

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) + b[at + 1];
}

function isPrintableId(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 4; i++) {
    const c = b[at + i];
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Throws MidiImportError with a precise reason, or returns every part, tempo and signature. */
export function readSmf(input: Uint8Array, file: string): RawSmf {
  let bytes = input;
  const fail = (reason: string): never => {
    throw new MidiImportError(file, reason);
  };
  if (bytes.length > MAX_FILE_BYTES) {
    fail(`file is too large (${(bytes.length / 1048576).toFixed(1)} MB; the limit is 50 MB)`);
  }
  if (bytes.length === 0) fail('the file is empty');
  if (ascii(bytes, 0, 4) === 'RIFF') bytes = unwrapRmid(bytes, fail);
  if (bytes.length < 4 || ascii(bytes, 0, 4) !== 'MThd') fail('not a MIDI file (no MThd header)');
  if (bytes.length < 14) fail(`truncated: the file ends inside the MIDI header (${bytes.length} bytes)`);
  const headerLen = u32(bytes, 4);
  if (headerLen < 6) fail(`bad MIDI header: its length is ${headerLen} (expected 6)`);
  if (8 + headerLen > bytes.length)
    fail(`truncated: the MIDI header declares ${headerLen} bytes but the file has ${bytes.length}`);
  const format = u16(bytes, 8);
  const declaredTracks = u16(bytes, 10);
  const division = u16(bytes, 12);
  if (format > 2) fail(`unknown MIDI format ${format} (expected 0, 1 or 2)`);
  if (declaredTracks === 0) fail('the MIDI header declares no tracks');
  if (division & 0x8000) fail('SMPTE time division is not supported (only ticks per quarter note)');
  if (division === 0) fail('bad MIDI header: 0 ticks per quarter note');

  const out: RawSmf = {
    format: format as 0 | 1 | 2,
    ppq: division,
    parts: [],
    tempos: [],
    timeSignatures: [],
    keySignatures: [],
    pedals: [],
    ignored: noIgnoredEvents(),
    warnings: [],
  };
  const budget = { noteOns: 0 };
  const odd = new OddTempos();
  let pos = 8 + headerLen;
  let trackNo = 0;
  while (trackNo < declaredTracks) {
    if (pos >= bytes.length) {
      fail(
        `truncated: the header declares ${declaredTracks} tracks but the file ends after ${trackNo}` +
          (trackNo === 0 ? ' (no track data at all)' : ''),
      );
    }
    if (pos + 8 > bytes.length)
      fail(`truncated: the file ends inside the header of track ${trackNo + 1} (byte ${pos})`);
    const id = ascii(bytes, pos, 4);
    const len = u32(bytes, pos + 4);
    if (id !== 'MTrk') {
      if (!isPrintableId(bytes, pos))
        fail(`corrupt: expected a track chunk (MTrk) at byte ${pos}, found unreadable data`);
      if (pos + 8 + len > bytes.length)
        fail(`corrupt: unknown chunk '${id}' at byte ${pos} runs past the end of the file`);
      out.warnings.push(`skipped an unknown '${id}' chunk (${len} bytes)`);
      pos += 8 + len;
      continue;
    }
    trackNo++;
    if (len === 0) {
      out.warnings.push(`track ${trackNo} is empty (a zero-length track chunk): skipped`);
      pos += 8;
      continue;
    }
    if (pos + 8 + len > bytes.length) {
      fail(
        `truncated: track ${trackNo} declares ${len} bytes but only ${bytes.length - pos - 8} remain in the file`,
      );
    }
    readTrack(bytes, pos + 8, pos + 8 + len, trackNo, out, budget, odd, fail);
    pos += 8 + len;
  }
  out.warnings.push(...odd.warnings(out.ppq));
  if (pos < bytes.length) out.warnings.push(`ignored ${bytes.length - pos} byte(s) after the last track`);
  if (format === 2)
    out.warnings.push('format 2 (independent patterns): the tracks are read as if they played together');
  return out;
}

/** The Standard MIDI File inside a RIFF RMID container (its 'data' chunk). */
function unwrapRmid(b: Uint8Array, fail: (reason: string) => never): Uint8Array {
  if (b.length < 12 || ascii(b, 8, 4) !== 'RMID') fail('not a MIDI file (a RIFF file, but not RIFF MIDI)');
  let p = 12;
  while (p + 8 <= b.length) {
    const id = ascii(b, p, 4);
    const len = b[p + 4] + (b[p + 5] << 8) + (b[p + 6] << 16) + ((b[p + 7] << 24) >>> 0); // little-endian
    if (id === 'data') {
      if (p + 8 + len > b.length)
        fail(`truncated: the RMID data chunk declares ${len} bytes but only ${b.length - p - 8} remain`);
      return b.subarray(p + 8, p + 8 + len);
    }
    p += 8 + len + (len & 1);
  }
  return fail('not a MIDI file (a RIFF MIDI file without a data chunk)');
}

/** Tempos outside MIN_BPM..MAX_BPM: kept or clamped, and reported once per kind, not once per event. */
class OddTempos {
  slow: { tick: number; bpm: number }[] = [];
  fast: { tick: number; bpm: number }[] = [];
  /** The bpm to use for a tempo event of `uspq` microseconds per quarter note at `tick`. */
  bpm(uspq: number, tick: number): number {
    const bpm = uspq === 0 ? Infinity : 60_000_000 / uspq;
    if (bpm < MIN_BPM) this.slow.push({ tick, bpm });
    if (bpm > MAX_BPM) this.fast.push({ tick, bpm });
    return Math.min(bpm, MAX_BPM);
  }
  warnings(ppq: number): string[] {
    const out: string[] = [];
    const at = (e: { tick: number }) => `tick ${e.tick} (beat ${Math.floor(e.tick / ppq) + 1})`;
    const bpm = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} bpm` : 'infinite (0 µs per quarter)');
    if (this.slow.length) {
      const min = this.slow.reduce((a, b) => (b.bpm < a.bpm ? b : a));
      out.push(
        this.slow.length === 1
          ? `a tempo of ${bpm(min.bpm)} at ${at(min)} is below ${MIN_BPM} bpm: kept as it is`
          : `${this.slow.length} tempos below ${MIN_BPM} bpm (the slowest ${bpm(min.bpm)} at ${at(min)}): kept as they are`,
      );
    }
    if (this.fast.length) {
      const max = this.fast.reduce((a, b) => (b.bpm > a.bpm ? b : a));
      out.push(
        this.fast.length === 1
          ? `a tempo of ${bpm(max.bpm)} at ${at(max)} is above ${MAX_BPM} bpm: clamped to ${MAX_BPM} bpm`
          : `${this.fast.length} tempos above ${MAX_BPM} bpm (the fastest ${bpm(max.bpm)} at ${at(max)}): clamped to ${MAX_BPM} bpm`,
      );
    }
    return out;
  }
}

/** Counts one more `what` (module level: no closure per track). */
function countIn(counts: Map<string, number>, what: string): void {
  counts.set(what, (counts.get(what) ?? 0) + 1);
}

/** Data bytes after a system common or real-time status (0xf1-0xfe but 0xf7), by status. */
const SYSTEM_DATA_BYTES: Record<number, number> = { 0xf1: 1, 0xf2: 2, 0xf3: 1 };

/** Open notes of one channel and pitch, first in first out. */
class NoteQueue {
  starts: number[] = [];
  velocities: number[] = [];
  head = 0;
  get size(): number {
    return this.starts.length - this.head;
  }
}

function readTrack(
  b: Uint8Array,
  start: number,
  end: number,
  track: number,
  out: RawSmf,
  budget: { noteOns: number },
  odd: OddTempos,
  fail: (reason: string) => never,
): void {
  const maxTick = out.ppq * MAX_QUARTERS;
  const ignored = out.ignored;
  const skipped = new Map<string, number>(); // odd events skipped in this track, by description
  let p = start;
  let tick = 0;
  let running = -1;
  let name = '';
  const program = new Int32Array(16); // current program per channel
  const played = new Uint8Array(16); // 1 once a channel has had a note-on in this track
  const parts = new Map<number, RawPart>(); // by channel, in order of first note
  const open: (NoteQueue | undefined)[] = new Array(16 * 128);
  let openCount = 0;
  const cut = (): never => fail(`truncated: track ${track} ends in the middle of an event (byte ${p})`);

  const readVar = (): number => {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (p >= end) cut();
      const c = b[p++];
      v = v * 128 + (c & 0x7f);
      if ((c & 0x80) === 0) return v;
    }
    return fail(`corrupt: a variable-length number longer than 4 bytes (track ${track}, byte ${p})`);
  };
  const data = (): number => {
    if (p >= end) cut();
    const c = b[p++];
    if (c & 0x80)
      fail(
        `corrupt: status byte 0x${c.toString(16)} where a data byte was expected (track ${track}, byte ${p - 1})`,
      );
    return c;
  };
  const partOf = (ch: number): RawPart => {
    let part = parts.get(ch);
    if (!part) {
      part = { chunk: track, channel: ch, program: program[ch], name: '', notes: [] };
      parts.set(ch, part);
    }
    return part;
  };
  const close = (key: number, at: number) => {
    const q = open[key]!;
    const startTick = q.starts[q.head];
    const velocity = q.velocities[q.head];
    q.head++;
    if (q.size === 0) open[key] = undefined;
    openCount--;
    partOf(key >> 7).notes.push({ pitch: key & 0x7f, startTick, durationTicks: at - startTick, velocity });
  };

  let lastTick = 0;
  while (p < end) {
    const eventStart = p;
    tick += readVar();
    if (tick > maxTick) {
      out.warnings.push(
        `track ${track}: an event at beat ${Math.round(tick / out.ppq)} is past the limit of ` +
          `${MAX_QUARTERS.toLocaleString('en')} beats (a delta time too large): it and the rest of the track were ignored`,
      );
      tick = lastTick;
      break;
    }
    lastTick = tick;
    if (p >= end) cut();
    let status = b[p];
    if (status < 0x80) {
      if (running < 0)
        fail(`corrupt: running status without a previous status byte (track ${track}, byte ${p})`);
      status = running;
    } else {
      p++;
    }
    if (status === 0xff) {
      if (p >= end) cut();
      const type = b[p++];
      const len = readVar();
      if (p + len > end)
        fail(
          `truncated: a meta event of ${len} bytes runs past the end of track ${track} (byte ${eventStart})`,
        );
      if (type === 0x51) {
        if (len !== 3) countIn(skipped, `tempo event(s) of a length other than 3 bytes`);
        else out.tempos.push({ tick, bpm: odd.bpm((b[p] << 16) + (b[p + 1] << 8) + b[p + 2], tick) });
      } else if (type === 0x58) {
        const numerator = b[p];
        const pow = b[p + 1];
        if (len !== 2 && len !== 4)
          countIn(skipped, `time signature event(s) of a length other than 4 bytes`);
        else if (numerator >= 1 && pow <= 6)
          out.timeSignatures.push({ tick, numerator, denominator: 1 << pow });
        else out.warnings.push(`ignored a time signature ${numerator}/2^${pow} at tick ${tick}`);
      } else if (type === 0x59) {
        const sharps = b[p] > 127 ? b[p] - 256 : b[p];
        if (len !== 2) countIn(skipped, `key signature event(s) of a length other than 2 bytes`);
        else if (sharps >= -7 && sharps <= 7 && b[p + 1] <= 1)
          out.keySignatures.push({ tick, sharps, minor: b[p + 1] === 1 });
        else out.warnings.push(`ignored an invalid key signature at tick ${tick}`);
      } else if (type === 0x03 && !name) {
        name = ascii(b, p, Math.min(len, MAX_NAME_CHARS)).trim();
      } else if (type >= 0x01 && type <= 0x0f && !(type === 0x03 && len === 0)) {
        ignored.textEvents++;
      }
      p += len;
    } else if (status === 0xf0 || status === 0xf7) {
      const len = readVar();
      if (p + len > end)
        fail(
          `truncated: a sysex event of ${len} bytes runs past the end of track ${track} (byte ${eventStart})`,
        );
      if (status === 0xf0) ignored.sysex++;
      p += len;
    } else if (status >= 0xf1) {
      // System common and real-time messages do not belong in a file; their length is known: skip.
      for (let k = SYSTEM_DATA_BYTES[status] ?? 0; k > 0 && p < end && b[p] < 0x80; k--) p++;
      countIn(skipped, 'system message(s) (status 0xf1-0xfe: not allowed in a MIDI file)');
    } else {
      running = status;
      const kind = status >> 4;
      const ch = status & 0x0f;
      const d1 = data();
      if (kind === 0xc) {
        if (played[ch]) ignored.programChanges++;
        program[ch] = d1;
        continue;
      }
      if (kind === 0xd) {
        ignored.channelPressure++;
        continue;
      }
      const d2 = data();
      if (kind === 0x9 && d2 > 0) {
        if (++budget.noteOns > MAX_NOTES)
          fail(`too many notes (more than ${MAX_NOTES.toLocaleString('en')})`);
        partOf(ch);
        played[ch] = 1;
        const key = ch * 128 + d1;
        const q = (open[key] ??= new NoteQueue());
        q.starts.push(tick);
        q.velocities.push(d2);
        openCount++;
      } else if (kind === 0x8 || kind === 0x9) {
        const key = ch * 128 + d1;
        if (open[key]) close(key, tick);
        else ignored.strayNoteOffs++;
      } else if (kind === 0xb) {
        if (d1 === 64) out.pedals.push({ tick, channel: ch, down: d2 >= 64 });
        else ignored.controllers[d1] = (ignored.controllers[d1] ?? 0) + 1;
      } else if (kind === 0xe) ignored.pitchBends++;
      else ignored.polyPressure++; // 0xa
    }
  }
  for (const [what, n] of skipped) out.warnings.push(`track ${track}: skipped ${n} ${what}`);
  if (openCount > 0) {
    const hanging = openCount;
    for (let key = 0; key < open.length; key++) while (open[key]) close(key, tick);
    out.warnings.push(
      `track ${track}: ${hanging} note(s) without a note-off were ended at the end of the track`,
    );
  }
  for (const part of parts.values()) {
    if (part.notes.length === 0) continue;
    part.name = name;
    out.parts.push(part);
  }
}
