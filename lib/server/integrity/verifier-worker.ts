// The integrity verifier's worker thread: hashing is CPU work, and here it never competes with a
// request for the main thread. It verifies new events every few seconds (or when woken), and
// carries out full re-verifications admins queue. Each instance runs one; advisory locks make the
// work happen once across instances.

import { parentPort, workerData } from 'node:worker_threads';
import { createPool } from '../db/pool';
import { errorMessage, logLine } from '../log';
import { runQueuedFullVerification } from './run-full-verification';
import { checkpointSetup } from '../checkpoints/checkpoint-settings';
import { verifyNewCheckpoints } from '../checkpoints/verify-new-checkpoints';
import { verifyNewEvents } from './verify-new-events';

interface VerifierWorkerData {
  readonly module: string;
  readonly databaseUrl: string;
  readonly intervalMs: number;
}

const { databaseUrl, intervalMs } = workerData as VerifierWorkerData;
const db = createPool(databaseUrl, { max: 2, applicationName: 'chronicle-verifier' });
let wake: (() => void) | undefined;
/** A wake-up that came while a pass was under way: the next pass starts without waiting. */
let wokenWhileBusy = false;
let stopping = false;

parentPort?.on('message', (message: unknown) => {
  if (message === 'stop') stopping = true;
  if (wake) wake();
  else wokenWhileBusy = true;
});

async function loop(): Promise<void> {
  while (!stopping) {
    wokenWhileBusy = false;
    try {
      await verifyNewEvents(db);
      const { key, primarySink } = checkpointSetup();
      if (key) await verifyNewCheckpoints(db, { sink: primarySink, publicKey: key.publicKey });
      const ran = await runQueuedFullVerification(db);
      if (ran) logLine('info', 'full integrity verification finished', { runId: ran });
      // Events written while a full run went on are verified right away.
      if (ran) await verifyNewEvents(db);
    } catch (error) {
      logLine('warn', 'integrity verification failed; retrying', { error: errorMessage(error) });
    }
    if (stopping) break;
    if (wokenWhileBusy) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }
  await db.end();
  parentPort?.postMessage('stopped');
}

void loop();
