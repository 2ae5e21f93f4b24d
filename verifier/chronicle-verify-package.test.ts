// The offline verifier on a dispute case's evidence package (docs/formats/evidence-v1.md §9):
// packages built here from a small signed ledger (test-ledger.ts, the reference encoder), laid out
// as lib/server/disputes/build-dispute-package.ts lays them out and zipped with the app's own ZIP
// writer (stored), with a deflating writer of this file, and by Python's zipfile (another tool,
// as an auditor's); then every kind of tampering, each reported precisely.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceEvent, SignedStatement, StatementBody } from '../lib/evidence/statement';
import { canonicalInstant, eventHash as referenceEventHash } from '../lib/ledger/hash-chain';
import { zipArchive } from '../lib/server/zip/zip-archive';
import { at, JWK, KEY_ID, Ledger, publicKey, signStatement, type Mutable } from './test-ledger';

// ---------------------------------------------------------------------------------------------
// The module under test, loaded as the plain JavaScript file an auditor copies.

interface VerificationResult {
  valid: boolean;
  kind: string;
  verdict: string;
  problems: string[];
  warnings: string[];
  checks: { check: string; ok: boolean }[];
  summary: Record<string, unknown>;
}

interface Entry {
  name: string;
  bytes: Uint8Array;
  method?: 'stored' | 'deflated';
}

interface PackageVerifier {
  verifyPackage(
    entries: readonly Entry[] | Map<string, Uint8Array>,
    publicKey?: unknown,
    options?: { source?: string },
  ): VerificationResult;
  readZip(archive: Uint8Array): Entry[];
  readPackageDirectory(directory: string): Entry[];
  isZipArchive(bytes: Uint8Array): boolean;
  unsafeEntryName(name: string): string | null;
  PackageFormatError: new (message: string) => Error;
  MAX_ENTRY_BYTES: number;
}

const VERIFIER = fileURLToPath(new URL('./chronicle-verify.mjs', import.meta.url));
const verifier = (await import(VERIFIER)) as PackageVerifier;

// ---------------------------------------------------------------------------------------------
// One account, two cases. Case 1 is lost after its provisional credit was spent: the balance
// covers part of the claw-back, a deposit collects more, the rest is written off. Case 2 is won
// after a partial provisional credit; its resolution is sealed only later.

const ACCOUNT = 'acc_dana';
const CASE_1 = '0195a1b2-d15e-7000-8000-000000000001';
const CASE_2 = '0195a1b2-d15e-7000-8000-000000000002';
const RECEIPT = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const RECEIPT_SHA256 = createHash('sha256').update(RECEIPT).digest('hex');

const ledger = new Ledger();
const account = (type: string, data: Record<string, unknown>, occurredAt: string) => ({
  accountId: ACCOUNT,
  type,
  data,
  occurredAt,
});
const ofCase =
  (disputeId: string) => (type: string, data: Record<string, unknown>, occurredAt: string) => ({
    streamId: `dispute-${disputeId}`,
    type,
    data,
    occurredAt,
  });
const case1 = ofCase(CASE_1);
const case2 = ofCase(CASE_2);
const usd = (amountMinor: string) => ({ amountMinor, currency: 'USD' });

// Checkpoint 1: the account and the charge.
ledger.commit(
  account('account_opened', { accountId: ACCOUNT, ownerId: 'cust_dana', currency: 'USD' }, at(0)),
);
ledger.commit(
  account('funds_deposited', { ...usd('10000'), source: 'Wire', reference: 'PAYROLL-03' }, at(5)),
);
const [charge1] = ledger.commit(
  account(
    'funds_withdrawn',
    { ...usd('8990'), destination: 'Card — Gadget Store', reference: 'TXN-7781' },
    at(60),
  ),
) as [EvidenceEvent];
ledger.seal(at(61));
const money1 = (amountMinor: string) => ({
  disputeId: CASE_1,
  chargeEventId: charge1.eventId,
  ...usd(amountMinor),
});
// Checkpoint 2: case 1 opened, worked on, given provisional credit.
ledger.commit(
  case1(
    'dispute_opened',
    {
      disputeId: CASE_1,
      accountId: ACCOUNT,
      chargeEventId: charge1.eventId,
      ...usd('8990'),
      reasonCode: 'fraudulent',
      description: 'Card used abroad',
      dueBy: '2026-03-31T09:00:00.000Z',
    },
    at(120),
  ),
  account('charge_disputed', money1('8990'), at(120)),
);
ledger.commit(case1('dispute_assigned', { assigneeId: 'user_sam' }, at(121)));
ledger.commit(
  case1('dispute_note_added', { evidenceId: 'ev_note', text: 'Card was stolen' }, at(122)),
);
ledger.commit(
  case1(
    'dispute_evidence_added',
    {
      evidenceId: 'ev_file',
      fileName: 'receipt.pdf',
      contentType: 'application/pdf',
      sizeBytes: RECEIPT.length,
      sha256: RECEIPT_SHA256,
    },
    at(123),
  ),
);
ledger.commit(
  case1('dispute_evidence_submitted', { evidenceIds: ['ev_note', 'ev_file'] }, at(124)),
);
ledger.commit(
  case1('dispute_provisional_credit_given', usd('8990'), at(125)),
  account('provisional_credit_given', money1('8990'), at(125)),
);
ledger.seal(at(126));
// Checkpoint 3: the credit spent, the case lost: 5.00 clawed back, 84.90 left owing.
ledger.commit(
  account('funds_withdrawn', { ...usd('9500'), destination: 'ATM', reference: 'ATM-7' }, at(180)),
);
ledger.commit(
  case1(
    'dispute_resolved',
    {
      outcome: 'lost',
      note: 'Merchant proved delivery',
      currency: 'USD',
      refundedMinor: '0',
      clawedBackMinor: '500',
      outstandingMinor: '8490',
    },
    at(200),
  ),
  account(
    'charge_dispute_closed',
    {
      disputeId: CASE_1,
      chargeEventId: charge1.eventId,
      outcome: 'lost',
      currency: 'USD',
      outstandingMinor: '8490',
    },
    at(200),
  ),
  account('provisional_credit_reversed', money1('500'), at(200)),
);
ledger.seal(at(201));
// Checkpoint 4: 30.00 collected from a deposit, the remaining 54.90 written off.
ledger.commit(
  account('funds_deposited', { ...usd('3000'), source: 'Cash', reference: 'BRANCH-2' }, at(240)),
  account('shortfall_collected', money1('3000'), at(240)),
);
ledger.commit(
  case1('dispute_shortfall_written_off', { ...usd('5490'), reason: 'Uncollectable' }, at(260)),
  account('shortfall_written_off', { ...money1('5490'), reason: 'Uncollectable' }, at(260)),
);
ledger.seal(at(261));
// Checkpoints 5 and 6: a second charge, case 2 opened with 15.00 of provisional credit.
ledger.commit(
  account('funds_deposited', { ...usd('5000'), source: 'Wire', reference: 'INV-9' }, at(320)),
);
const [charge2] = ledger.commit(
  account(
    'funds_withdrawn',
    { ...usd('4000'), destination: 'Card — Bookshop', reference: 'TXN-9001' },
    at(330),
  ),
) as [EvidenceEvent];
ledger.seal(at(331));
const money2 = (amountMinor: string) => ({
  disputeId: CASE_2,
  chargeEventId: charge2.eventId,
  ...usd(amountMinor),
});
ledger.commit(
  case2(
    'dispute_opened',
    {
      disputeId: CASE_2,
      accountId: ACCOUNT,
      chargeEventId: charge2.eventId,
      ...usd('4000'),
      reasonCode: 'duplicate',
      description: 'Charged twice',
      dueBy: '2026-03-15T09:00:00.000Z',
    },
    at(340),
  ),
  account('charge_disputed', money2('4000'), at(340)),
);
ledger.commit(
  case2('dispute_provisional_credit_given', usd('1500'), at(341)),
  account('provisional_credit_given', money2('1500'), at(341)),
);
ledger.seal(at(342));
// Not yet sealed: case 2 won, the rest of its amount refunded.
ledger.commit(
  case2(
    'dispute_resolved',
    {
      outcome: 'won',
      note: 'Duplicate confirmed',
      currency: 'USD',
      refundedMinor: '2500',
      clawedBackMinor: '0',
      outstandingMinor: '0',
    },
    at(360),
  ),
  account(
    'charge_dispute_closed',
    {
      disputeId: CASE_2,
      chargeEventId: charge2.eventId,
      outcome: 'won',
      currency: 'USD',
      outstandingMinor: '0',
    },
    at(360),
  ),
  account('disputed_charge_refunded', money2('2500'), at(360)),
);

const caseEvents = (disputeId: string) =>
  ledger.events.filter((event) => event.streamId === `dispute-${disputeId}`);

const CASE_1_JSON = {
  id: CASE_1,
  accountId: ACCOUNT,
  chargeEventId: charge1.eventId,
  currency: 'USD',
  amount: '89.90',
  reasonCode: 'fraudulent',
  description: 'Card used abroad',
  status: 'lost',
  assigneeId: 'user_sam',
  dueBy: '2026-03-31T09:00:00.000Z',
  overdue: false,
  provisionalCredit: '89.90',
  refundedAmount: '0.00',
  clawedBackAmount: '5.00',
  outstandingAmount: '0.00',
  writtenOffAmount: '54.90',
  outcome: 'lost',
  resolutionNote: 'Merchant proved delivery',
  resolvedAt: '2026-03-01T12:20:00.000Z',
  submittedAt: '2026-03-01T11:04:00.000Z',
  evidence: [
    {
      id: 'ev_note',
      kind: 'note',
      text: 'Card was stolen',
      submitted: true,
      addedAt: '2026-03-01T11:02:00.000Z',
    },
    {
      id: 'ev_file',
      kind: 'file',
      fileName: 'receipt.pdf',
      contentType: 'application/pdf',
      sizeBytes: RECEIPT.length,
      sha256: RECEIPT_SHA256,
      submitted: true,
      addedAt: '2026-03-01T11:03:00.000Z',
    },
  ],
  version: 8,
  createdAt: '2026-03-01T11:00:00.000Z',
  updatedAt: '2026-03-01T13:20:00.000Z',
};
const CASE_2_JSON = {
  ...CASE_1_JSON,
  id: CASE_2,
  chargeEventId: charge2.eventId,
  amount: '40.00',
  reasonCode: 'duplicate',
  description: 'Charged twice',
  status: 'won',
  assigneeId: null,
  dueBy: '2026-03-15T09:00:00.000Z',
  provisionalCredit: '15.00',
  refundedAmount: '25.00',
  clawedBackAmount: '0.00',
  outstandingAmount: '0.00',
  writtenOffAmount: '0.00',
  outcome: 'won',
  resolutionNote: 'Duplicate confirmed',
  submittedAt: null,
  evidence: [],
  version: 3,
};

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** A package as build-dispute-package.ts lays it out, with the ledger as it is now. */
function buildPackage(options: {
  disputeId: string;
  caseJson: unknown;
  chargedAt: string;
  files?: { evidenceId: string; fileName: string; bytes: Buffer }[];
}): Entry[] {
  // From just before the charge, as the app makes it, to after every event of both cases.
  const from = canonicalInstant(new Date(Date.parse(options.chargedAt) - 1));
  const statement = ledger.statement(ACCOUNT, from, at(400));
  const files = (options.files ?? []).map((file, i) => ({
    path: `evidence/${i + 1}-${file.fileName}`,
    evidenceId: file.evidenceId,
    sha256: createHash('sha256').update(file.bytes).digest('hex'),
    contentType: 'application/pdf',
    bytes: file.bytes,
  }));
  return [
    {
      name: 'README.txt',
      bytes: Buffer.from(`Chronicle evidence package — dispute ${options.disputeId}\n`),
    },
    { name: 'case.json', bytes: json(options.caseJson) },
    { name: 'statement.json', bytes: json(statement) },
    ...caseEvents(options.disputeId).map((event) => ({
      name: `proofs/${String(event.streamVersion).padStart(3, '0')}-${event.type}.json`,
      bytes: json(ledger.proofDocument(event)),
    })),
    {
      name: 'evidence/manifest.json',
      bytes: json(files.map(({ bytes: _bytes, ...item }) => item)),
    },
    ...files.map((file) => ({ name: file.path, bytes: file.bytes })),
  ];
}

const PACKAGE_1 = buildPackage({
  disputeId: CASE_1,
  caseJson: CASE_1_JSON,
  chargedAt: charge1.occurredAt,
  files: [{ evidenceId: 'ev_file', fileName: 'receipt.pdf', bytes: RECEIPT }],
});
const PACKAGE_2_UNSEALED = buildPackage({
  disputeId: CASE_2,
  caseJson: CASE_2_JSON,
  chargedAt: charge2.occurredAt,
});
ledger.seal(at(361));
const PACKAGE_2 = buildPackage({
  disputeId: CASE_2,
  caseJson: CASE_2_JSON,
  chargedAt: charge2.occurredAt,
});

// ---------------------------------------------------------------------------------------------
// Changing packages

const entry = (entries: readonly Entry[], name: string) => {
  const found = entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const parsed = <T = Record<string, unknown>>(entries: readonly Entry[], name: string) =>
  JSON.parse(Buffer.from(entry(entries, name).bytes).toString('utf8')) as T;
const without = (entries: readonly Entry[], ...names: string[]) =>
  entries.filter((candidate) => !names.includes(candidate.name));
const replaced = (entries: readonly Entry[], name: string, bytes: Uint8Array) =>
  entries.map((candidate) => (candidate.name === name ? { name, bytes } : candidate));
/** The package with one JSON entry changed (a deep copy). */
function edited<T>(entries: readonly Entry[], name: string, change: (value: T) => void) {
  const value = parsed<T>(entries, name);
  change(value);
  return replaced(entries, name, json(value));
}
/** The package with its statement changed and, by default, signed again with Chronicle's key. */
function editedStatement(
  entries: readonly Entry[],
  change: (body: Mutable<StatementBody>) => void,
  resign = true,
) {
  return edited<Mutable<SignedStatement>>(entries, 'statement.json', (doc) => {
    change(doc.statement);
    if (resign) doc.signature = signStatement(doc.statement as StatementBody).signature;
  });
}
const statementLineIndex = (entries: readonly Entry[], type: string, disputeId: string) =>
  parsed<SignedStatement>(entries, 'statement.json').statement.lines.findIndex(
    (line) => line.event.type === type && line.event.data.disputeId === disputeId,
  );

/** The same entries zipped with deflate, as another tool would (no data descriptors). */
function deflatedZip(entries: readonly Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, bytes } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = deflateRawSync(bytes, { level: 9 });
    const crc = crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(bytes.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Where the central directory header of entry `index` starts in a ZIP archive. */
function centralHeaderAt(zip: Buffer, index: number): number {
  let at = zip.readUInt32LE(zip.length - 22 + 16);
  for (let i = 0; i < index; i += 1)
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  return at;
}

// ---------------------------------------------------------------------------------------------
// Running the verifier as an auditor does

let dir = '';
const file = (name: string) => path.join(dir, name);
function run(args: readonly string[]) {
  const result = spawnSync(process.execPath, [VERIFIER, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
function writeDirectory(name: string, entries: readonly Entry[]): string {
  const root = file(name);
  for (const { name: entryName, bytes } of entries) {
    const target = path.join(root, entryName);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return root;
}
const python = spawnSync('python3', ['--version']).status === 0;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'chronicle-verify-package-'));
  writeFileSync(file('key.jwk'), JSON.stringify(JWK));
  writeFileSync(file('package.zip'), zipArchive(PACKAGE_1));
  writeFileSync(file('package-deflated.zip'), deflatedZip(PACKAGE_1));
  writeFileSync(file('package-2.zip'), zipArchive(PACKAGE_2));
  writeFileSync(file('package-2-unsealed.zip'), zipArchive(PACKAGE_2_UNSEALED));
  writeDirectory('package-dir', PACKAGE_1);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Valid packages

describe('a valid evidence package', () => {
  it('verifies from its entries: the lost case, collected from and written off', () => {
    const result = verifier.verifyPackage(PACKAGE_1, publicKey);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.kind).toBe('package');
    expect(result.checks.every((check) => check.ok)).toBe(true);
    expect(result.summary).toMatchObject({
      keySource: 'given',
      keyId: KEY_ID,
      events: 8,
      sealed: 8,
      notYetSealed: 0,
      provenIn: [2, 3, 4],
      evidenceFiles: 1,
      case: { id: CASE_1, accountId: ACCOUNT, status: 'lost', version: 8 },
      money: {
        provisionalCreditMinor: '8990',
        refundedMinor: '0',
        clawedBackMinor: '500',
        collectedMinor: '3000',
        writtenOffMinor: '5490',
        outstandingMinor: '0',
      },
    });
    // Case 2's resolution (charge_dispute_closed, disputed_charge_refunded), later than the
    // last checkpoint, is on the statement too, unsealed: the statement's signature covers it.
    expect(result.warnings).toEqual([
      expect.stringMatching(/^statement\.json: 2 lines are not yet sealed/),
    ]);
    expect(result.verdict).toBe(
      `VERDICT: VALID — evidence package of dispute ${CASE_1} valid: 8 events of the case sealed and chained, its statement valid, 1 evidence file matching, money trail agreeing`,
    );
  });

  it('verifies the won case, refunded, once its last event is sealed', () => {
    const result = verifier.verifyPackage(PACKAGE_2, JWK);
    expect(result.problems).toEqual([]);
    expect(result.summary).toMatchObject({
      events: 3,
      sealed: 3,
      evidenceFiles: 0,
      money: { provisionalCreditMinor: '1500', refundedMinor: '2500', outstandingMinor: '0' },
    });
  });

  it('reads the stored ZIP the app writes, and the same package deflated by another tool', () => {
    for (const zip of [zipArchive(PACKAGE_1), deflatedZip(PACKAGE_1)]) {
      expect(verifier.isZipArchive(zip)).toBe(true);
      const entries = verifier.readZip(zip);
      expect(entries.map((e) => e.name)).toEqual(PACKAGE_1.map((e) => e.name));
      entries.forEach((e, i) =>
        expect(Buffer.from(e.bytes).equals(Buffer.from((PACKAGE_1[i] as Entry).bytes))).toBe(true),
      );
      expect(verifier.verifyPackage(entries, publicKey).valid).toBe(true);
    }
    expect(verifier.readZip(deflatedZip(PACKAGE_1)).every((e) => e.method === 'deflated')).toBe(
      true,
    );
  });

  it('prints a report for the ZIP on the command line', () => {
    const { code, stdout } = run(['package.zip', '--public-key', 'key.jwk']);
    expect(stdout).toContain(
      'Kind:  evidence package of a dispute case (case.json, statement.json, proofs/, evidence/)',
    );
    expect(stdout).toContain(`Key:   ${KEY_ID}, from key.jwk`);
    expect(stdout).not.toContain('FAIL');
    expect(stdout).toContain(
      `case ${CASE_1}: account ${ACCOUNT}, charge ${charge1.eventId}, 89.90 USD (fraudulent), status lost, version 8`,
    );
    expect(stdout).toContain(
      'events of the case: 8, 8 sealed (in checkpoints 2–4), 0 not yet sealed',
    );
    expect(stdout).toContain(
      'money trail (USD): provisional credit 89.90, refunded 0.00, clawed back 5.00, collected 30.00, written off 54.90, outstanding 0.00',
    );
    expect(stdout).toContain('read from a ZIP archive of 13 files (13 stored, 0 deflated)');
    expect(stdout).toMatch(
      /^VERDICT: VALID — evidence package of dispute .* money trail agreeing$/m,
    );
    expect(code).toBe(0);
  });

  it('verifies the deflated ZIP and the unzipped directory on the command line', () => {
    const deflated = run(['package-deflated.zip', '--public-key', 'key.jwk']);
    expect(deflated.stdout).toContain('(0 stored, 13 deflated)');
    expect(deflated.code).toBe(0);
    const directory = run(['package-dir', '--public-key', 'key.jwk']);
    expect(directory.stdout).toContain('read from a directory of 13 files');
    expect(directory.stdout).toMatch(/^VERDICT: VALID/m);
    expect(directory.code).toBe(0);
  });

  it.skipIf(!python)(
    "verifies the folder zipped again by Python's zipfile (deflated, inside a folder)",
    () => {
      const root = writeDirectory(`rezip/dispute-${CASE_1}`, PACKAGE_1);
      writeFileSync(path.join(root, '.DS_Store'), 'clutter');
      const archive = file('rezipped.zip');
      const made = spawnSync('python3', [
        '-c',
        'import shutil, sys; shutil.make_archive(sys.argv[1], "zip", root_dir=sys.argv[2], base_dir=sys.argv[3])',
        archive.replace(/\.zip$/, ''),
        file('rezip'),
        `dispute-${CASE_1}`,
      ]);
      expect(made.status, made.stderr.toString()).toBe(0);
      const { code, stdout } = run(['rezipped.zip', '--public-key', 'key.jwk']);
      expect(stdout).toContain(`inside its folder dispute-${CASE_1}/, 1 system file`);
      expect(stdout).toContain('read from a ZIP archive of 14 files (0 stored, 14 deflated)');
      expect(stdout).toMatch(/^VERDICT: VALID/m);
      expect(code).toBe(0);
    },
  );

  it('prints one JSON object with --json, and says so when it used the embedded key', () => {
    const { code, stdout } = run(['package.zip', '--json']);
    const output = JSON.parse(stdout) as VerificationResult;
    expect(output).toMatchObject({
      valid: true,
      kind: 'package',
      problems: [],
      summary: { keySource: 'document', keyId: KEY_ID, events: 8 },
    });
    expect(output.warnings).toContainEqual(
      expect.stringContaining("the public key was taken from the package's own statement.json"),
    );
    expect(output.verdict).toMatch(/not an independently obtained key\)$/);
    expect(code).toBe(0);
  });

  it('answers a directory that is no package, and an unreadable one, with exit code 2', () => {
    mkdirSync(file('empty-dir'));
    const empty = run(['empty-dir', '--public-key', 'key.jwk']);
    expect(empty.stderr).toMatch(/empty-dir: it is a directory without case\.json/);
    expect(empty.code).toBe(2);
    expect(run(['missing.zip']).code).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Not yet sealed

describe('a package with an event newer than the last checkpoint', () => {
  it('is invalid, not fully sealed, and says to ask again after the next checkpoint', () => {
    const result = verifier.verifyPackage(PACKAGE_2_UNSEALED, publicKey);
    expect(result.problems).toEqual([
      `event 3 of the case (dispute_resolved, proofs/003-dispute_resolved.json) is not yet sealed: ask for the package again after the next checkpoint`,
    ]);
    expect(result.verdict).toBe(
      `VERDICT: INVALID — 1 problem found: the package of dispute ${CASE_2} is not fully sealed (1 event of the case newer than the last checkpoint)`,
    );
    const { code, stdout } = run(['package-2-unsealed.zip', '--public-key', 'key.jwk']);
    expect(stdout).toContain('FAIL  every event of the case sealed in a checkpoint');
    expect(stdout).toContain('events of the case: 3, 2 sealed (in checkpoint 6), 1 not yet sealed');
    expect(code).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Tampering

interface Tamper {
  name: string;
  entries: () => Entry[];
  /** Every one of these must be among the problems. */
  expect: RegExp[];
  /** The exact number of problems, when the tampering causes exactly these. */
  count?: number;
}

const proof = (version: number, type: string) =>
  `proofs/${String(version).padStart(3, '0')}-${type}.json`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const EVIDENCE_EVENT = escape(
  `dispute_evidence_added (version 4, ${proof(4, 'dispute_evidence_added')})`,
);
const CREDIT_EVENT = escape(
  `dispute_provisional_credit_given (version 6, ${proof(6, 'dispute_provisional_credit_given')})`,
);

const TAMPERS: Tamper[] = [
  {
    name: "an evidence file's bytes changed",
    entries: () =>
      replaced(
        PACKAGE_1,
        'evidence/1-receipt.pdf',
        Buffer.from(RECEIPT.toString().replace('Catalog', 'Catalug')),
      ),
    expect: [
      new RegExp(
        `^evidence/1-receipt\\.pdf: its SHA-256 is [0-9a-f]{64}, not "${RECEIPT_SHA256}" as evidence/manifest\\.json says and ${EVIDENCE_EVENT} records: the file was altered$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'an evidence file missing',
    entries: () => without(PACKAGE_1, 'evidence/1-receipt.pdf'),
    expect: [
      /^evidence\/manifest\.json lists evidence\/1-receipt\.pdf \(evidence "ev_file"\), which is not in the package: the file is missing$/,
    ],
    count: 1,
  },
  {
    name: 'an evidence file and its manifest entry both removed',
    entries: () =>
      edited<unknown[]>(
        without(PACKAGE_1, 'evidence/1-receipt.pdf'),
        'evidence/manifest.json',
        (items) => void items.splice(0, 1),
      ),
    expect: [
      new RegExp(
        `^evidence "ev_file" \\("receipt\\.pdf", ${EVIDENCE_EVENT}\\) is not in the package: evidence/manifest\\.json does not list it$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'a file the manifest does not list, slipped into evidence/',
    entries: () => [...PACKAGE_1, { name: 'evidence/2-invoice.pdf', bytes: RECEIPT }],
    expect: [
      /^evidence\/2-invoice\.pdf is in the package but not in evidence\/manifest\.json: nothing vouches for it$/,
    ],
    count: 1,
  },
  {
    name: 'the manifest pointing at another hash, file swapped to match',
    entries: () => {
      const other = Buffer.from('%PDF-1.4\n% a forged receipt\n%%EOF\n');
      return edited<{ sha256: string }[]>(
        replaced(PACKAGE_1, 'evidence/1-receipt.pdf', other),
        'evidence/manifest.json',
        (items) =>
          void ((items[0] as { sha256: string }).sha256 = createHash('sha256')
            .update(other)
            .digest('hex')),
      );
    },
    expect: [
      new RegExp(
        `^evidence/manifest\\.json: evidence/1-receipt\\.pdf has SHA-256 "[0-9a-f]{64}", but ${EVIDENCE_EVENT} records "${RECEIPT_SHA256}" for evidence "ev_file"$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'a proof removed (a version gap)',
    entries: () => without(PACKAGE_1, proof(3, 'dispute_note_added')),
    expect: [
      new RegExp(
        `^version 4 of the case \\(${escape(proof(4, 'dispute_evidence_added'))}\\) follows version 2 \\(${escape(proof(2, 'dispute_assigned'))}\\): version 3 is missing: a proof was removed$`,
      ),
      new RegExp(
        `^case\\.json says the case is at version 8, but the package holds proofs of 7 events of dispute-${CASE_1} \\(the last is version 8\\)$`,
      ),
      /^case\.json: evidence\[0\] \("ev_note"\) is a note, but no dispute_note_added of the case records it$/,
    ],
    count: 3,
  },
  {
    name: 'the last proof removed',
    entries: () => without(PACKAGE_1, proof(8, 'dispute_shortfall_written_off')),
    expect: [
      new RegExp(
        `^case\\.json says the case is at version 8, but the package holds proofs of 7 events of dispute-${CASE_1} \\(the last is version 7\\)$`,
      ),
      /^case\.json: writtenOffAmount is 54\.90 USD, but no dispute_shortfall_written_off of the case writes anything off: it is 0\.00 USD \(0 in minor units\)$/,
      /^money trail: the case writes nothing off \(no dispute_shortfall_written_off\): 0\.00 USD, but the statement's shortfall_written_off lines of this case add up to 54\.90 USD \(line \d+\)$/,
    ],
  },
  {
    name: "a proof's event edited",
    entries: () =>
      edited<{ event: EvidenceEvent }>(
        PACKAGE_1,
        proof(6, 'dispute_provisional_credit_given'),
        (doc) => void (doc.event.data.amountMinor = '9990'),
      ),
    expect: [
      new RegExp(
        `^${escape(proof(6, 'dispute_provisional_credit_given'))}: event ".*" \\(dispute-${CASE_1} version 6\\): its contents hash to [0-9a-f]{64}, not to its stated hash "[0-9a-f]{64}": the event was altered$`,
      ),
      new RegExp(
        `^case\\.json: provisionalCredit is 89\\.90 USD, but ${CREDIT_EVENT} gives 99\\.90 USD \\(9990 in minor units\\)$`,
      ),
      new RegExp(
        `^money trail: ${CREDIT_EVENT} gives provisional credit of 99\\.90 USD, but the statement's provisional_credit_given lines of this case add up to 89\\.90 USD \\(line \\d+\\)$`,
      ),
    ],
    count: 3,
  },
  {
    name: "a proof's event edited and hashed again",
    entries: () =>
      edited<{ event: Mutable<EvidenceEvent> }>(
        PACKAGE_1,
        proof(6, 'dispute_provisional_credit_given'),
        (doc) => {
          doc.event.data.amountMinor = '9990';
          doc.event.hash = referenceEventHash(doc.event);
        },
      ),
    expect: [
      new RegExp(
        `^${escape(proof(6, 'dispute_provisional_credit_given'))}: event .*: its inclusion proof \\(leaf \\d+ of \\d+, .*\\) does not lead to checkpoint 2's merkleRoot`,
      ),
      new RegExp(
        `^${escape(proof(7, 'dispute_resolved'))}: its prevHash [0-9a-f]{8}…[0-9a-f]{4} is not the hash of version 6 \\(${escape(proof(6, 'dispute_provisional_credit_given'))}: [0-9a-f]{8}…[0-9a-f]{4}\\): the chain is broken$`,
      ),
    ],
  },
  {
    name: "another case's proof slipped in",
    entries: () =>
      replaced(
        PACKAGE_1,
        proof(2, 'dispute_assigned'),
        entry(PACKAGE_2, proof(2, 'dispute_provisional_credit_given')).bytes,
      ),
    expect: [
      new RegExp(
        `^${escape(proof(2, 'dispute_assigned'))}: its event is of stream "dispute-${CASE_2}", not dispute-${CASE_1}: it is not an event of this case$`,
      ),
      new RegExp(
        `^${escape(proof(2, 'dispute_assigned'))}: its name says version 2, a dispute_assigned, but it holds version 2, a "dispute_provisional_credit_given"$`,
      ),
    ],
  },
  {
    name: "case.json's amount edited",
    entries: () =>
      edited<{ amount: string }>(PACKAGE_1, 'case.json', (doc) => void (doc.amount = '90.00')),
    expect: [
      new RegExp(
        `^case\\.json: amount is 90\\.00 USD, but dispute_opened \\(version 1, ${escape(proof(1, 'dispute_opened'))}\\) says 89\\.90 USD \\(8990 in minor units\\)$`,
      ),
    ],
    count: 1,
  },
  {
    name: "case.json's outstanding amount edited",
    entries: () =>
      edited<{ outstandingAmount: string }>(
        PACKAGE_1,
        'case.json',
        (doc) => void (doc.outstandingAmount = '54.90'),
      ),
    expect: [
      new RegExp(
        `^case\\.json: outstandingAmount is 54\\.90 USD, but the case left 84\\.90 USD outstanding \\(dispute_resolved \\(version 7, ${escape(proof(7, 'dispute_resolved'))}\\)\\), less 30\\.00 USD collected and 54\\.90 USD written off in the statement: 0\\.00 USD$`,
      ),
    ],
    count: 1,
  },
  {
    name: "case.json's status and evidence hash edited",
    entries: () =>
      edited<typeof CASE_1_JSON>(PACKAGE_1, 'case.json', (doc) => {
        doc.status = 'won';
        (doc.evidence[1] as { sha256: string }).sha256 = '0'.repeat(64);
      }),
    expect: [
      /^case\.json: status is "won", but the fold of the case's events \(as the ledger folds them\) says "lost"$/,
      new RegExp(
        `^case\\.json: evidence\\[1\\] \\("ev_file"\\): its sha256 is "0{64}", but ${EVIDENCE_EVENT} records "${RECEIPT_SHA256}"$`,
      ),
    ],
    count: 2,
  },
  {
    name: "the statement's signature broken",
    entries: () =>
      edited<{ signature: string }>(PACKAGE_1, 'statement.json', (doc) => {
        doc.signature = `${doc.signature.slice(0, 10)}${doc.signature[10] === 'A' ? 'B' : 'A'}${doc.signature.slice(11)}`;
      }),
    expect: [
      /^statement\.json: the statement's signature does not verify with key 21fe31dfa154a261/,
    ],
    count: 1,
  },
  {
    name: 'a line of the money trail removed from the statement, signed again',
    entries: () => {
      const index = statementLineIndex(PACKAGE_1, 'provisional_credit_given', CASE_1);
      return editedStatement(PACKAGE_1, (body) => void body.lines.splice(index, 1));
    },
    expect: [
      /^statement\.json: line \d+ \(event .*\): version \d+ follows version \d+ \(line \d+ .*\): version \d+ is missing$/,
      new RegExp(
        `^money trail: ${CREDIT_EVENT} gives provisional credit of 89\\.90 USD, but the statement's provisional_credit_given lines of this case add up to 0\\.00 USD \\(there is none\\)$`,
      ),
    ],
  },
  {
    name: 'a line of the money trail removed from the statement, not signed again',
    entries: () => {
      const index = statementLineIndex(PACKAGE_1, 'shortfall_collected', CASE_1);
      return editedStatement(PACKAGE_1, (body) => void body.lines.splice(index, 1), false);
    },
    expect: [
      /^statement\.json: the statement's signature does not verify/,
      /^case\.json: outstandingAmount is 0\.00 USD, but the case left 84\.90 USD outstanding .*, less 0\.00 USD collected and 54\.90 USD written off in the statement: 30\.00 USD$/,
    ],
  },
  {
    name: 'a statement starting at the charge (the charge its anchor)',
    entries: () =>
      replaced(PACKAGE_1, 'statement.json', json(ledger.statement(ACCOUNT, at(100), at(400)))),
    expect: [
      new RegExp(
        `^the charge "${charge1.eventId}" is statement\\.json's anchor, not one of its lines: the statement must start before the charge$`,
      ),
    ],
    count: 1,
  },
  {
    name: 'a statement starting after the case began',
    entries: () =>
      replaced(PACKAGE_1, 'statement.json', json(ledger.statement(ACCOUNT, at(120), at(400)))),
    expect: [
      new RegExp(
        `^statement\\.json has no line for the charge "${charge1.eventId}": the statement must start just before the charge$`,
      ),
      /^money trail: statement\.json's anchor is a "charge_disputed" of this case: the statement starts after the case began, so it cannot hold its whole money trail$/,
      /^money trail: statement\.json has no charge_disputed line of this case: the account's side of dispute_opened is missing$/,
    ],
    count: 3,
  },
];

describe('a tampered package', () => {
  it.each(TAMPERS)('$name: INVALID, precisely', (tamper) => {
    const entries = tamper.entries();
    const result = verifier.verifyPackage(entries, publicKey);
    expect(result.valid).toBe(false);
    for (const pattern of tamper.expect)
      expect(result.problems, String(pattern)).toContainEqual(expect.stringMatching(pattern));
    if (tamper.count !== undefined) expect(result.problems).toHaveLength(tamper.count);

    // The command line, on the package zipped, reports the same problems.
    writeFileSync(file('tampered.zip'), zipArchive(entries));
    const { code, stdout } = run(['tampered.zip', '--public-key', 'key.jwk']);
    expect(stdout).toMatch(/^VERDICT: INVALID — \d+ problems? found$/m);
    for (const pattern of tamper.expect)
      expect(stdout).toMatch(
        new RegExp(pattern.source.replace(/^\^/, '  \\d+\\. ').replace(/\$$/, '$'), 'm'),
      );
    expect(code).toBe(1);
  });
});

describe('an archive the verifier refuses to read', () => {
  const refused = (zip: Buffer, pattern: RegExp) => {
    expect(() => verifier.readZip(zip)).toThrow(verifier.PackageFormatError);
    expect(() => verifier.readZip(zip)).toThrow(pattern);
    writeFileSync(file('refused.zip'), zip);
    const { code, stdout } = run(['refused.zip', '--public-key', 'key.jwk']);
    expect(stdout).toContain('FAIL  the archive (or directory) can be read safely');
    expect(stdout).toMatch(pattern);
    expect(stdout).toMatch(
      /^VERDICT: INVALID — 1 problem found: the package was refused, nothing in it was checked$/m,
    );
    expect(code).toBe(1);
  };

  it('refuses an entry whose name climbs out of the package (path traversal)', () => {
    refused(
      zipArchive([
        ...PACKAGE_1,
        { name: 'evidence/../../evil.sh', bytes: Buffer.from('rm -rf ~') },
      ]),
      /the archive entry "evidence\/\.\.\/\.\.\/evil\.sh" is refused: it climbs out of the package \(a "\.\." segment\): a path traversal/,
    );
    refused(
      zipArchive([{ name: '/etc/cron.d/evil', bytes: Buffer.from('x') }, ...PACKAGE_1]),
      /the archive entry "\/etc\/cron\.d\/evil" is refused: it is an absolute path/,
    );
    refused(
      zipArchive([...PACKAGE_1, { name: '..\\evil.bat', bytes: Buffer.from('x') }]),
      /is refused: it climbs out of the package/,
    );
    // Given as entries (not a ZIP), the same names are refused too.
    const result = verifier.verifyPackage(
      [...PACKAGE_1, { name: '../evil.sh', bytes: Buffer.from('x') }],
      publicKey,
    );
    expect(result.problems).toEqual([
      'the entry "../evil.sh" is refused: it climbs out of the package (a ".." segment): a path traversal',
    ]);
    expect(verifier.unsafeEntryName('evidence/1-a..b.pdf')).toBeNull();
    expect(verifier.unsafeEntryName('C:/Windows/evil')).toMatch(/drive letter/);
  });

  it('refuses encrypted entries, ZIP64, other compression, oversized entries and damage', () => {
    const zip = () => zipArchive(PACKAGE_1);
    const patched = (change: (bytes: Buffer) => void) => {
      const bytes = zip();
      change(bytes);
      return bytes;
    };
    refused(
      patched((bytes) => {
        bytes.writeUInt16LE(0x0801, centralHeaderAt(bytes, 1) + 8);
        bytes.writeUInt16LE(0x0801, bytes.readUInt32LE(centralHeaderAt(bytes, 1) + 42) + 6);
      }),
      /the archive entry "case\.json" is encrypted/,
    );
    refused(
      patched((bytes) => bytes.writeUInt32LE(0xffffffff, centralHeaderAt(bytes, 2) + 24)),
      /the archive entry "statement\.json": it uses ZIP64, which this verifier does not read/,
    );
    refused(
      patched((bytes) => bytes.writeUInt16LE(12, centralHeaderAt(bytes, 0) + 10)),
      /the archive entry "README\.txt" uses compression method 12/,
    );
    refused(
      patched((bytes) =>
        bytes.writeUInt32LE(verifier.MAX_ENTRY_BYTES + 1, centralHeaderAt(bytes, 0) + 24),
      ),
      /the archive entry "README\.txt" is 67108865 bytes, larger than the 67108864/,
    );
    refused(
      patched((bytes) => {
        const local = bytes.readUInt32LE(centralHeaderAt(bytes, 1) + 42);
        const data = local + 30 + bytes.readUInt16LE(local + 26);
        bytes[data + 5] = (bytes[data + 5] as number) ^ 1;
      }),
      /the archive is damaged: the archive entry "case\.json" does not match its CRC-32/,
    );
    refused(zip().subarray(0, 2000), /the archive is damaged or cut short/);
    refused(
      zipArchive([...PACKAGE_1, { name: 'case.json', bytes: Buffer.from('{}') }]),
      /the archive holds "case\.json" twice/,
    );
  });

  it('refuses a symbolic link in a package directory', () => {
    const root = writeDirectory('linked-dir', PACKAGE_1);
    symlinkSync('/etc/hostname', path.join(root, 'evidence', '2-hostname'));
    expect(() => verifier.readPackageDirectory(root)).toThrow(
      /evidence\/2-hostname is a symbolic link: refused, it could lead outside the package/,
    );
    const { code, stdout } = run(['linked-dir', '--public-key', 'key.jwk']);
    expect(stdout).toMatch(/is a symbolic link/);
    expect(code).toBe(1);
  });
});
