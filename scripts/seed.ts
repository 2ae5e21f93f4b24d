// npm run db:seed — loads the demo accounts and their six months of history (once).
import { startProgress } from '../lib/progress';
import { seedDemoData } from '../lib/server/seed/seed-demo-data';
import { withScriptDatabase } from './lib/database';
import { log, reportFailure } from './lib/cli-log';

try {
  // The clock is read here, in the script: the history ends shortly before now.
  const progress = startProgress('loading demo history (commands)', null);
  const summary = await withScriptDatabase(() =>
    seedDemoData({ now: new Date(), onProgress: (done) => progress.update(done) }),
  );
  progress.finish();
  log(
    summary
      ? `seeded ${summary.eventsWritten} events from ${summary.commandsApplied} demo commands`
      : 'demo data is already present',
  );
} catch (error) {
  reportFailure(error);
}
