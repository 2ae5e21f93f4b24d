// Settings a server cannot run with stop it at start, with one line saying what to fix — not at
// the first request that needs them, where a user's input would take the blame.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function serveWith(env: Record<string, string>) {
  const result = spawnSync(path.join('node_modules', '.bin', 'tsx'), ['scripts/serve.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      NEXTAUTH_SECRET: 'settings-test-secret',
      NEXTAUTH_URL: 'http://localhost:3999',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, errors: result.stderr.split('\n').filter(Boolean) };
}

describe('the server at start', () => {
  it('stops on an approval policy that would let one person correct history', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'chronicle-policy-'));
    const file = path.join(directory, 'policy.json');
    writeFileSync(file, JSON.stringify({ rules: {} }));
    const { status, errors } = serveWith({ CHRONICLE_APPROVAL_POLICY: file });
    expect(status).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(
        /^\[chronicle\] error: .*policy\.json: rules\.record_correction: backdated corrections always need a second person/,
      ),
    ]);
  }, 60_000);

  it('stops on dispute due days it cannot apply', () => {
    const { status, errors } = serveWith({ CHRONICLE_DISPUTE_DUE_DAYS: 'fraudulent=0' });
    expect(status).toBe(1);
    expect(errors).toEqual([
      expect.stringMatching(/^\[chronicle\] error: CHRONICLE_DISPUTE_DUE_DAYS: "fraudulent=0"/),
    ]);
  }, 60_000);
});
