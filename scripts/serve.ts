// Serves the production build through Chronicle's HTTP server (lib/server/http/http-server.ts) on PORT
// (default 3000), trusting X-Forwarded-For only from TRUSTED_PROXIES. `npm start` runs this after
// preparing the database and the build; the browser tests run it directly. It expects DATABASE_URL,
// NEXTAUTH_SECRET and NEXTAUTH_URL in its environment, as `next start` would.

import {
  approvalPolicy,
  describeApprovalPolicy,
} from '../lib/server/approvals/approval-policy-config';
import { parseTrustedProxies } from '../lib/server/http/client-address';
import { serveChronicle } from '../lib/server/http/http-server';
import { log, reportFailure } from './lib/cli-log';

/** Exit codes of a process ended by a signal (128 + its number), as `next start` uses. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

try {
  const trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXIES);
  // Which four-eyes policy is in force, said at start; a policy file that cannot be read or is
  // not valid stops the server here rather than leaving it to run without four eyes.
  log(describeApprovalPolicy(approvalPolicy()));
  const server = await serveChronicle({
    port: Number(process.env.PORT ?? 3000),
    trustedProxies,
  });
  log(
    trustedProxies.entries.length > 0
      ? `listening on port ${server.port}; X-Forwarded-For is believed from ${trustedProxies.entries.join(', ')}`
      : `listening on port ${server.port}; X-Forwarded-For is ignored (TRUSTED_PROXIES is not set)`,
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void server.close().finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
    });
  }
} catch (error) {
  reportFailure(error);
  process.exit(1);
}
