// Builds the Next.js app when there is no build or the build is older than the sources. The
// fingerprint is a hash of every file that feeds the build, stored next to the build output.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { log } from './cli-log';
import { BIN, childEnv, run } from './run';

const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'prisma/schema.prisma',
  'next.config.js',
  'instrumentation.ts',
  'proxy.ts',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];
const SKIPPED = new Set(['node_modules', '.next', 'generated']);
const FINGERPRINT_FILE = path.join('.next', 'chronicle-build-fingerprint');

async function listFiles(entry: string): Promise<string[]> {
  if (!existsSync(entry)) return [];
  const stats = await readdir(entry, { withFileTypes: true }).catch(() => null);
  if (!stats) return [entry];
  const nested = await Promise.all(
    stats
      .filter((item) => !SKIPPED.has(item.name) && !/\.test\.tsx?$/.test(item.name))
      .map((item) => listFiles(path.join(entry, item.name))),
  );
  return nested.flat();
}

export async function sourceFingerprint(): Promise<string> {
  const files = (await Promise.all(BUILD_INPUTS.map(listFiles))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

export async function ensurePrismaClient(): Promise<void> {
  if (existsSync(path.join('lib', 'generated', 'prisma', 'client.ts'))) return;
  log('generating the Prisma client');
  const code = await run(process.execPath, ['scripts/prisma-generate.mjs'], { env: childEnv() });
  if (code !== 0) throw new Error('prisma generate failed');
}

/** Builds unless `.next` holds a build of exactly the current sources. */
export async function ensureBuild(): Promise<void> {
  await ensurePrismaClient();
  const fingerprint = await sourceFingerprint();
  const built =
    existsSync(path.join('.next', 'BUILD_ID')) && existsSync(FINGERPRINT_FILE)
      ? await readFile(FINGERPRINT_FILE, 'utf8')
      : null;
  if (built === fingerprint) {
    log('the production build is up to date');
    return;
  }
  log(
    built
      ? 'sources changed since the last build: building'
      : 'no production build yet: building (this takes a minute or two)',
  );
  const code = await run(path.join(BIN, 'next'), ['build'], { env: childEnv() });
  if (code !== 0) throw new Error('next build failed');
  await writeFile(FINGERPRINT_FILE, fingerprint);
}
