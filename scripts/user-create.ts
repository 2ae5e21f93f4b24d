// npm run user:create -- --email ada@example.com --role admin [--name "Ada Lovelace"]
// The password is read from standard input when it is not a terminal (echo … | npm run …), and
// prompted for, twice and without echo, when it is. It is never taken from the command line,
// where it would end up in shell history and process listings.

import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { MIN_PASSWORD_LENGTH, createUserInput } from '../lib/schemas/user-inputs';
import { createUser } from '../lib/server/users/create-user';
import { withScriptDatabase } from './lib/database';
import { log, reportFailure } from './lib/cli-log';

/**
 * Standard input as the password, exactly as given except for one trailing line ending (the one
 * `echo` or `printf '%s\n'` adds). Spaces are part of the password and stay.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function prompt(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stdout.write(chunk, encoding);
      callback();
    },
  });
  const reader = createInterface({ input: process.stdin, output, terminal: true });
  process.stdout.write(question);
  muted = true;
  const answer = await new Promise<string>((resolve) => reader.question('', resolve));
  muted = false;
  reader.close();
  process.stdout.write('\n');
  return answer;
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  const first = await prompt(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  const second = await prompt('Repeat the password: ');
  if (first !== second) throw new Error('The passwords do not match.');
  return first;
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  strict: true,
});

try {
  if (!values.email || !values.role)
    throw new Error(
      'Usage: npm run user:create -- --email <email> --role admin|support|auditor [--name <name>]',
    );
  const password = await readPassword();
  const input = createUserInput.safeParse({
    email: values.email,
    role: values.role,
    name: values.name ?? values.email.split('@')[0],
    password,
  });
  if (!input.success)
    throw new Error(
      input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  const user = await withScriptDatabase(() =>
    createUser({ input: input.data, actor: 'system:cli' }),
  );
  log(`created ${user.role} ${user.email} (${user.id})`);
} catch (error) {
  reportFailure(error);
}
