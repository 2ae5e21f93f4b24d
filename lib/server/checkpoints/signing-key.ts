// The Ed25519 key that signs checkpoints and statements. Production passes it in
// CHRONICLE_SIGNING_KEY (a PKCS #8 PEM, or its DER in base64); demo mode generates one into
// .data/signing-key.pem once and keeps it. Without a key nothing is sealed, and /api/health and
// the audit page say so: an unsigned checkpoint would prove nothing to anyone.

import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { keyIdOf } from '../../evidence/checkpoint';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** A signing key from its PKCS #8 form (PEM text, or base64 of the DER bytes). */
export function signingKeyFrom(text: string): SigningKey {
  let privateKey: KeyObject;
  try {
    const trimmed = text.trim();
    privateKey = trimmed.startsWith('-----BEGIN')
      ? createPrivateKey({ key: trimmed, format: 'pem' })
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SigningKeyError(
      'CHRONICLE_SIGNING_KEY is not a private key: give a PKCS #8 PEM ("-----BEGIN PRIVATE KEY-----") or its DER in base64.',
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(
      `CHRONICLE_SIGNING_KEY is an ${privateKey.asymmetricKeyType ?? 'unknown'} key; checkpoints are signed with Ed25519 (openssl genpkey -algorithm ed25519).`,
    );
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A new Ed25519 key as PKCS #8 PEM. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Demo mode: the key in `file`, made (readable by its owner only) the first time. */
export async function persistentSigningKeyPem(file: string): Promise<string> {
  if (!existsSync(file)) await writeFile(file, generateSigningKeyPem(), { mode: 0o600 });
  return readFile(file, 'utf8');
}

const globalForKey = globalThis as unknown as { chronicleSigningKey?: SigningKey | null };

/** This process's signing key from CHRONICLE_SIGNING_KEY; null when none is configured. */
export function configuredSigningKey(): SigningKey | null {
  if (globalForKey.chronicleSigningKey === undefined) {
    const text = process.env.CHRONICLE_SIGNING_KEY;
    globalForKey.chronicleSigningKey = text ? signingKeyFrom(text) : null;
  }
  return globalForKey.chronicleSigningKey;
}
