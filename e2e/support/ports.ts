import { tmpdir } from 'node:os';
import path from 'node:path';

/** The two app instances the browser tests run against (the second for cross-instance live updates). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_SECOND_PORT = E2E_PORT + 1;
/** A port for tests that start a server of their own (see own-server.ts). */
export const E2E_OWN_SERVER_PORT = E2E_PORT + 5;

/** The second instance believes X-Forwarded-For from these (the machine itself), the first from none. */
export const E2E_TRUSTED_PROXIES = '127.0.0.1,::1';

/**
 * The key the e2e servers sign checkpoints with: RFC 8032's first test key, public on purpose
 * (docs/formats/evidence-v1.md §8). Never a production key.
 */
export const E2E_SIGNING_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
-----END PRIVATE KEY-----
`;

/** Where the e2e servers keep their checkpoint files: fresh for each e2e database. */
export const E2E_CHECKPOINT_DIR = path.join(
  tmpdir(),
  `chronicle-e2e-checkpoints-${(process.env.E2E_DATABASE_URL ?? 'none').split('/').pop()}`,
);
