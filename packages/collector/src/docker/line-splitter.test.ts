import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

function split(chunks: readonly string[], maxLineBytes = 64): { lines: string[]; oversize: number } {
  const lines: string[] = [];
  let oversize = 0;
  const splitter = new LineSplitter(maxLineBytes, (line) => lines.push(line), () => {
    oversize += 1;
  });
  for (const chunk of chunks) splitter.push(Buffer.from(chunk));
  return { lines, oversize };
}

describe('LineSplitter', () => {
  it('joins lines split across chunks and splits chunks holding several lines', () => {
    expect(split(['{"a":', '1}\n{"b":2}\n{"c"', ':3}\n']).lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('holds an unfinished line until its newline arrives', () => {
    expect(split(['{"a":1}']).lines).toEqual([]);
  });

  it('drops a line longer than the bound up to its newline, counts it, and keeps going', () => {
    const long = 'x'.repeat(40);
    expect(split([`${long}`, `${long}`, `${long}\n{"ok":1}\n`], 64)).toEqual({ lines: ['{"ok":1}'], oversize: 1 });
  });

  it('skips blank lines and CRLF endings', () => {
    expect(split(['\n\r\n{"a":1}\r\n']).lines).toEqual(['{"a":1}']);
  });
});
