import { describe, expect, it } from 'vitest';
import { FrameDemuxer } from './frame-demux.js';
import { LineAssembler, type RawLogLine } from './line-assembler.js';

const TS = '2024-05-01T12:00:00.000000001Z';
const TS_NS = 1714564800000000001n;
const TS2 = '2024-05-01T12:00:01.500000000Z';
const TS2_NS = 1714564801500000000n;

function frame(type: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

interface Line {
  stream: RawLogLine['stream'];
  dockerTimeNs: bigint | null;
  text: string;
  truncated: boolean;
}

function textOf(line: RawLogLine): Line {
  return { stream: line.stream, dockerTimeNs: line.dockerTimeNs, text: line.bytes.toString('utf8'), truncated: line.truncated };
}

function collect(maxLineBytes = 1024): { lines: Line[]; assembler: LineAssembler; demux: FrameDemuxer } {
  const lines: Line[] = [];
  const assembler = new LineAssembler(maxLineBytes, (line) => lines.push(textOf(line)));
  return { lines, assembler, demux: new FrameDemuxer(assembler) };
}

describe('FrameDemuxer + LineAssembler (multiplexed, timestamps)', () => {
  const stream = Buffer.concat([
    frame(1, `${TS} {"level":30,"msg":"one"}\n`),
    frame(2, `${TS2} oops on stderr\n`),
    frame(1, `${TS2} two\r\n`),
  ]);
  const expected = [
    { stream: 'stdout', dockerTimeNs: TS_NS, text: '{"level":30,"msg":"one"}', truncated: false },
    { stream: 'stderr', dockerTimeNs: TS2_NS, text: 'oops on stderr', truncated: false },
    { stream: 'stdout', dockerTimeNs: TS2_NS, text: 'two', truncated: false },
  ];

  it('splits frames into lines per stream with their Docker time', () => {
    const { lines, demux } = collect();
    demux.push(stream);
    expect(lines).toEqual(expected);
  });

  it('gives the same lines whatever the chunking (every split point, and byte by byte)', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      const { lines, demux } = collect();
      demux.push(stream.subarray(0, cut));
      demux.push(stream.subarray(cut));
      expect(lines, `cut at ${cut}`).toEqual(expected);
    }
    const { lines, demux } = collect();
    for (const byte of stream) demux.push(Buffer.from([byte]));
    expect(lines).toEqual(expected);
  });

  it('joins a partial line (Docker splits at 16 KiB) across frames, keeping the first part\'s time', () => {
    const { lines, demux } = collect();
    demux.push(Buffer.concat([frame(1, `${TS} first half `), frame(2, `${TS2} err\n`), frame(1, `${TS2} second half\n`)]));
    expect(lines.map((l) => [l.stream, l.text, l.dockerTimeNs])).toEqual([
      ['stderr', 'err', TS2_NS],
      ['stdout', 'first half second half', TS_NS],
    ]);
  });

  it('cuts a line at maxLineBytes, flags it, and goes on with the next (whole or split chunks)', () => {
    const stream = Buffer.concat([frame(1, `${TS} ${'x'.repeat(1000)}\n`), frame(1, `${TS2} next\n`)]);
    for (const cut of [stream.length, 40, 300, 700]) {
      const { lines, demux } = collect(256);
      demux.push(stream.subarray(0, cut));
      demux.push(stream.subarray(cut));
      expect(lines.map((l) => [l.text.length, l.truncated, l.dockerTimeNs]), `cut at ${cut}`).toEqual([[256, true, TS_NS], [4, false, TS2_NS]]);
    }
  });

  it('reads timestamps of many seconds and offsets right (the per-second cache)', () => {
    const { lines, demux } = collect();
    demux.push(Buffer.concat([
      frame(1, `${TS} a\n`), frame(1, `${TS2} b\n`), frame(1, `${TS} c\n`), frame(1, '2024-05-01T14:00:00.5+02:00 d\n'),
    ]));
    expect(lines.map((l) => l.dockerTimeNs)).toEqual([TS_NS, TS2_NS, TS_NS, 1714564800500000000n]);
  });

  it('emits an unfinished last line at the end of the stream', () => {
    const { lines, demux, assembler } = collect();
    demux.push(frame(1, `${TS} no newline`));
    expect(lines).toHaveLength(0);
    assembler.end();
    expect(lines.map((l) => l.text)).toEqual(['no newline']);
  });

  it('keeps a line without a timestamp prefix whole, with no Docker time', () => {
    const { lines, demux } = collect();
    demux.push(frame(1, 'plain words here\n'));
    expect(lines).toEqual([{ stream: 'stdout', dockerTimeNs: null, text: 'plain words here', truncated: false }]);
  });

  it('falls back to raw when a header has an unknown stream type', () => {
    const { lines, demux } = collect();
    demux.push(Buffer.from(`${TS} raw after all\n`));
    expect(demux.raw).toBe(true);
    expect(lines.map((l) => [l.text, l.dockerTimeNs])).toEqual([['raw after all', TS_NS]]);
  });
});

describe('LineAssembler (raw TTY stream)', () => {
  it('reads one timestamp per line and strips the TTY\'s \\r', () => {
    const lines: Line[] = [];
    const assembler = new LineAssembler(1024, (line) => lines.push(textOf(line)));
    const raw = Buffer.from(`${TS} a\r\n${TS2} b\r\n`);
    assembler.data('stdout', raw.subarray(0, 17));
    assembler.data('stdout', raw.subarray(17));
    expect(lines.map((l) => [l.text, l.dockerTimeNs])).toEqual([['a', TS_NS], ['b', TS2_NS]]);
  });
});
