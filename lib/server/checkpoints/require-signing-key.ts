import { AppError } from '../../errors';
import { checkpointSetup } from './checkpoint-settings';
import type { SigningKey } from './signing-key';

/** This instance's signing key, or a 503 saying none is configured (nothing can be proven). */
export function requireSigningKey(): SigningKey {
  const { key } = checkpointSetup();
  if (!key)
    throw new AppError(
      'service_unavailable',
      'This Chronicle has no signing key (CHRONICLE_SIGNING_KEY), so it seals nothing and can prove nothing.',
    );
  return key;
}
