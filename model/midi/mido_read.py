"""Reads MIDI files with mido (an independent reader) and prints, as one JSON document, what each file
holds: notes (paired first-in first-out per channel and pitch), tempos and time signatures, in ticks.
Used by model/midi/independent-reader.fixture.ts. Usage: python3 mido_read.py FILE..."""
import json
import sys

import mido


def read(path):
    mid = mido.MidiFile(path)
    notes, tempos, meters = [], [], []
    for track in mid.tracks:
        tick = 0
        sounding = {}
        for msg in track:
            tick += msg.time
            if msg.type == 'set_tempo':
                tempos.append([tick, mido.tempo2bpm(msg.tempo)])
            elif msg.type == 'time_signature':
                meters.append([tick, msg.numerator, msg.denominator])
            elif msg.type == 'note_on' and msg.velocity > 0:
                sounding.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
            elif msg.type in ('note_on', 'note_off'):
                queue = sounding.get((msg.channel, msg.note))
                if queue:
                    start, velocity = queue.pop(0)
                    notes.append([msg.channel, msg.note, start, tick - start, velocity])
    notes.sort()
    tempos.sort(key=lambda t: t[0])
    meters.sort(key=lambda m: m[0])
    return {'ppq': mid.ticks_per_beat, 'format': mid.type, 'notes': notes, 'tempos': tempos, 'meters': meters}


print(json.dumps({path: read(path) for path in sys.argv[1:]}))
