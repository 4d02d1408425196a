/**
 * A cheap structural check of a Standard MIDI File before it is handed to @tonejs/midi. It walks the
 * chunks and every event once (linear time, bounded by the file size, so it cannot loop forever), and
 * turns every structural problem into a precise, readable reason: not MIDI, truncated header or track,
 * track length past the end of the file, zero-length track, bad variable-length number, running status
 * without a status byte, absurd tempo, absurd length. It also returns a cleaned copy of the file that
 * @tonejs/midi can parse safely: only the header and the track chunks (unknown chunks skipped), the
 * header's track count matching the tracks present, and every note left sounding at the end of a track
 * closed there (instead of being silently dropped by the parser).
 */
import { MidiImportError } from './errors.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
export const MIN_BPM = 10;
export const MAX_BPM = 1000;
/** Longest piece accepted, in quarter notes (about 28 hours at 120 bpm). */
export const MAX_QUARTERS = 200_000;
/** Most note-on events accepted in one file. */
export const MAX_NOTES = 2_000_000;
/** Longest text meta event accepted (track names, lyrics...). */
export const MAX_TEXT_BYTES = 65_536;

export interface ValidatedMidi {
  format: 0 | 1 | 2;
  ppq: number;
  tracks: number;
  noteOns: number;
  /** The file as @tonejs/midi should see it (see the module comment). */
  clean: Uint8Array;
  /** Things that were repaired, one readable line each. */
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

/** Throws MidiImportError with a precise reason, or returns the cleaned file. */
export function validateMidi(bytes: Uint8Array, file: string): ValidatedMidi {
  const fail = (reason: string): never => {
    throw new MidiImportError(file, reason);
  };
  if (bytes.length > MAX_FILE_BYTES) {
    fail(`file is too large (${(bytes.length / 1048576).toFixed(1)} MB; the limit is 50 MB)`);
  }
  if (bytes.length === 0) fail('the file is empty');
  if (bytes.length < 4 || ascii(bytes, 0, 4) !== 'MThd') {
    if (ascii(bytes, 0, 4) === 'RIFF') fail('not a Standard MIDI File (RIFF/RMID container; export it as .mid)');
    fail('not a MIDI file (no MThd header)');
  }
  if (bytes.length < 14) fail(`truncated: the file ends inside the MIDI header (${bytes.length} bytes)`);
  const headerLen = u32(bytes, 4);
  if (headerLen < 6) fail(`bad MIDI header: its length is ${headerLen} (expected 6)`);
  if (8 + headerLen > bytes.length) fail(`truncated: the MIDI header declares ${headerLen} bytes but the file has ${bytes.length}`);
  const format = u16(bytes, 8);
  const declaredTracks = u16(bytes, 10);
  const division = u16(bytes, 12);
  if (format > 2) fail(`unknown MIDI format ${format} (expected 0, 1 or 2)`);
  if (declaredTracks === 0) fail('the MIDI header declares no tracks');
  if (division & 0x8000) fail('SMPTE time division is not supported (only ticks per quarter note)');
  if (division === 0) fail('bad MIDI header: 0 ticks per quarter note');
  const ppq = division;
  const maxTick = ppq * MAX_QUARTERS;

  const warnings: string[] = [];
  const chunks: Uint8Array[] = [];
  let pos = 8 + headerLen;
  let noteOns = 0;
  let trackNo = 0;
  while (trackNo < declaredTracks) {
    if (pos >= bytes.length) {
      fail(
        `truncated: the header declares ${declaredTracks} tracks but the file ends after ${trackNo}` +
          (trackNo === 0 ? ' (no track data at all)' : ''),
      );
    }
    if (pos + 8 > bytes.length) fail(`truncated: the file ends inside the header of track ${trackNo + 1} (byte ${pos})`);
    const id = ascii(bytes, pos, 4);
    const len = u32(bytes, pos + 4);
    if (id !== 'MTrk') {
      if (!isPrintableId(bytes, pos)) fail(`corrupt: expected a track chunk (MTrk) at byte ${pos}, found unreadable data`);
      if (pos + 8 + len > bytes.length) fail(`corrupt: unknown chunk '${id}' at byte ${pos} runs past the end of the file`);
      warnings.push(`skipped an unknown '${id}' chunk (${len} bytes)`);
      pos += 8 + len;
      continue;
    }
    trackNo++;
    if (len === 0) fail(`track ${trackNo} is empty (zero-length MTrk chunk at byte ${pos})`);
    if (pos + 8 + len > bytes.length) {
      fail(`truncated: track ${trackNo} declares ${len} bytes but only ${bytes.length - pos - 8} remain in the file`);
    }
    const scan = scanTrack(bytes, pos + 8, pos + 8 + len, trackNo, maxTick, fail);
    noteOns += scan.noteOns;
    if (noteOns > MAX_NOTES) fail(`too many notes (more than ${MAX_NOTES.toLocaleString('en')})`);
    if (scan.closed > 0) {
      warnings.push(`track ${trackNo}: ${scan.closed} note(s) without a note-off were ended at the end of the track`);
    }
    chunks.push(scan.chunk ?? bytes.subarray(pos, pos + 8 + len));
    pos += 8 + len;
  }
  if (pos < bytes.length) {
    const rest = bytes.length - pos;
    warnings.push(`ignored ${rest} byte(s) after the last track`);
  }

  let total = 14;
  for (const c of chunks) total += c.length;
  const clean = new Uint8Array(total);
  clean.set([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, format, (chunks.length >> 8) & 0xff, chunks.length & 0xff], 0);
  clean[12] = bytes[12];
  clean[13] = bytes[13];
  let at = 14;
  for (const c of chunks) {
    clean.set(c, at);
    at += c.length;
  }
  return { format: format as 0 | 1 | 2, ppq, tracks: chunks.length, noteOns, clean, warnings };
}

interface TrackScan {
  noteOns: number;
  closed: number;
  /** A rewritten chunk (header included) when notes had to be closed; otherwise null. */
  chunk: Uint8Array | null;
}

function scanTrack(
  b: Uint8Array,
  start: number,
  end: number,
  track: number,
  maxTick: number,
  fail: (reason: string) => never,
): TrackScan {
  let p = start;
  let tick = 0;
  let running = -1;
  let noteOns = 0;
  const open = new Int32Array(16 * 128);
  let openCount = 0;
  let eotStart = -1; // offset of the delta time of the end-of-track event
  let eotDelta = 0;
  const where = () => `track ${track}, byte ${p}`;
  const cut = (): never => fail(`truncated: track ${track} ends in the middle of an event (byte ${p})`);

  const readVar = (): number => {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (p >= end) cut();
      const c = b[p++];
      v = v * 128 + (c & 0x7f);
      if ((c & 0x80) === 0) return v;
    }
    return fail(`corrupt: a variable-length number longer than 4 bytes (${where()})`);
  };
  const data = (): number => {
    if (p >= end) cut();
    const c = b[p++];
    if (c & 0x80) fail(`corrupt: status byte 0x${c.toString(16)} where a data byte was expected (track ${track}, byte ${p - 1})`);
    return c;
  };

  while (p < end) {
    const eventStart = p;
    const delta = readVar();
    tick += delta;
    if (tick > maxTick) fail(`absurd length: track ${track} reaches beat ${Math.round(tick / (maxTick / MAX_QUARTERS))} (delta times too large)`);
    if (p >= end) cut();
    let status = b[p];
    if (status < 0x80) {
      if (running < 0) fail(`corrupt: running status without a previous status byte (${where()})`);
      status = running;
    } else {
      p++;
    }
    if (status === 0xff) {
      if (p >= end) cut();
      const type = b[p++];
      const len = readVar();
      if (p + len > end) fail(`truncated: a meta event of ${len} bytes runs past the end of track ${track} (byte ${eventStart})`);
      if (type >= 0x01 && type <= 0x0f && len > MAX_TEXT_BYTES) fail(`corrupt: a text event of ${len} bytes (${where()})`);
      if (type === 0x51) {
        if (len !== 3) fail(`corrupt: a tempo event of length ${len} (expected 3) (${where()})`);
        const uspq = (b[p] << 16) + (b[p + 1] << 8) + b[p + 2];
        const bpm = uspq === 0 ? Infinity : 60_000_000 / uspq;
        if (!(bpm >= MIN_BPM && bpm <= MAX_BPM)) {
          fail(`absurd tempo ${Number.isFinite(bpm) ? bpm.toFixed(1) : 'infinite'} bpm at tick ${tick} (accepted: ${MIN_BPM}-${MAX_BPM})`);
        }
      } else if (type === 0x2f) {
        if (len !== 0) fail(`corrupt: an end-of-track event of length ${len} (${where()})`);
        if (eotStart < 0) {
          eotStart = eventStart;
          eotDelta = delta;
        }
      } else if (type === 0x58 && len !== 2 && len !== 4) {
        fail(`corrupt: a time signature event of length ${len} (${where()})`);
      } else if (type === 0x59 && len !== 2) {
        fail(`corrupt: a key signature event of length ${len} (${where()})`);
      } else if ((type === 0x20 || type === 0x21) && len !== 1) {
        fail(`corrupt: a meta event 0x${type.toString(16)} of length ${len} (${where()})`);
      } else if (type === 0x00 && len !== 2) {
        fail(`corrupt: a sequence number event of length ${len} (${where()})`);
      } else if (type === 0x54 && len !== 5) {
        fail(`corrupt: an SMPTE offset event of length ${len} (${where()})`);
      }
      p += len;
    } else if (status === 0xf0 || status === 0xf7) {
      const len = readVar();
      if (p + len > end) fail(`truncated: a sysex event of ${len} bytes runs past the end of track ${track} (byte ${eventStart})`);
      p += len;
    } else if (status >= 0xf1) {
      fail(`corrupt: unexpected status byte 0x${status.toString(16)} (track ${track}, byte ${p - 1})`);
    } else {
      running = status;
      const kind = status >> 4;
      const ch = status & 0x0f;
      const d1 = data();
      if (kind === 0xc || kind === 0xd) continue;
      const d2 = data();
      if (kind === 0x9 && d2 > 0) {
        noteOns++;
        open[ch * 128 + d1]++;
        openCount++;
      } else if (kind === 0x8 || kind === 0x9) {
        if (open[ch * 128 + d1] > 0) {
          open[ch * 128 + d1]--;
          openCount--;
        }
      }
    }
  }
  if (openCount === 0) return { noteOns, closed: 0, chunk: null };

  // Close the notes still sounding at the end of the track (at the end-of-track event's time).
  const body: number[] = [];
  const keepTo = eotStart >= 0 ? eotStart : end;
  let first = true;
  const pushVar = (v: number) => {
    const tmp = [v & 0x7f];
    while ((v = Math.floor(v / 128)) > 0) tmp.unshift((v & 0x7f) | 0x80);
    body.push(...tmp);
  };
  for (let i = 0; i < open.length; i++) {
    for (let k = 0; k < open[i]; k++) {
      pushVar(first && eotStart >= 0 ? eotDelta : 0);
      first = false;
      body.push(0x80 | (i >> 7), i & 0x7f, 0);
    }
  }
  body.push(0, 0xff, 0x2f, 0);
  const len = keepTo - start + body.length;
  const chunk = new Uint8Array(8 + len);
  chunk.set([0x4d, 0x54, 0x72, 0x6b, (len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff], 0);
  chunk.set(b.subarray(start, keepTo), 8);
  chunk.set(body, 8 + keepTo - start);
  return { noteOns, closed: openCount, chunk };
}
