// Everything about checkpoints this process is configured with: the key (null when none), where
// its sinks are, how often it seals. Read once from the environment.

import {
  checkpointSinksFor,
  sealerSettingsFromEnvironment,
  type SealerSettings,
} from './checkpoint-sealer';
import type { CheckpointSink } from './checkpoint-sinks';
import { configuredSigningKey, type SigningKey } from './signing-key';

export interface CheckpointSetup {
  readonly key: SigningKey | null;
  readonly settings: SealerSettings;
  /** The sink the integrity check reads signed checkpoints back from: this instance's file. */
  readonly primarySink: CheckpointSink;
}

const globalForSetup = globalThis as unknown as { chronicleCheckpointSetup?: CheckpointSetup };

export function checkpointSetup(): CheckpointSetup {
  if (!globalForSetup.chronicleCheckpointSetup) {
    const settings = sealerSettingsFromEnvironment();
    globalForSetup.chronicleCheckpointSetup = {
      key: configuredSigningKey(),
      settings,
      primarySink: checkpointSinksFor({ ...settings, redisUrl: undefined })[0] as CheckpointSink,
    };
  }
  return globalForSetup.chronicleCheckpointSetup;
}
