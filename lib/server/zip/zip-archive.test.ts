import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZipArchive, zipArchive } from './zip-archive';

describe('zipArchive', () => {
  const entries = [
    { name: 'case.json', bytes: Buffer.from('{"id":"x"}') },
    { name: 'evidence/1-reçu.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
    { name: 'empty.txt', bytes: Buffer.alloc(0) },
  ];

  it('reads back what it wrote, byte for byte', () => {
    expect(
      readZipArchive(zipArchive(entries)).map((e) => [e.name, Buffer.from(e.bytes).toString()]),
    ).toEqual(entries.map((e) => [e.name, e.bytes.toString()]));
  });

  it('is an archive Python’s zipfile (an independent reader) opens and checks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-'));
    const file = path.join(dir, 'package.zip');
    writeFileSync(file, zipArchive(entries));
    const listing = execFileSync('python3', [
      '-c',
      'import sys, zipfile, json; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))',
      file,
    ]).toString();
    expect(JSON.parse(listing)).toEqual(
      Object.fromEntries(entries.map((e) => [e.name, e.bytes.toString()])),
    );
    expect(readFileSync(file).readUInt32LE(0)).toBe(0x04034b50);
  });
});
