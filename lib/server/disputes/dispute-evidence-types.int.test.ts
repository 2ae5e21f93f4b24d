// Evidence files are what their bytes are: real PNG and JPEG files are accepted (with or without a
// declared type) and kept under their sniffed type and extension; a text file that claims to be a
// PNG is refused; files past 5 MiB, or past 25 MiB for the whole case, are refused with their
// errors — and a refused file writes nothing, not even its bytes.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CASE_EVIDENCE_MAX_BYTES,
  EVIDENCE_MAX_BYTES,
  sniffEvidenceType,
} from '../../ledger/dispute/dispute-rules';
import { context, refusal } from '../../../test/support';
import {
  EVIDENCE_BYTES,
  charged,
  disputeCounts,
  opened,
  uniquePdf,
} from '../../../test/dispute-support';
import { addDisputeEvidence } from './add-dispute-evidence';
import { getDispute, getDisputeFile } from './read-disputes';

async function newCase() {
  const { chargeEventId } = await charged('100.00', '30.00');
  return opened(chargeEventId);
}

describe('evidence types, sniffed from the bytes', () => {
  it('sniffs the real minimal files as what they are, and text as nothing', () => {
    expect(sniffEvidenceType(EVIDENCE_BYTES.png)).toBe('image/png');
    expect(sniffEvidenceType(EVIDENCE_BYTES.jpeg)).toBe('image/jpeg');
    expect(sniffEvidenceType(EVIDENCE_BYTES.pdf)).toBe('application/pdf');
    expect(sniffEvidenceType(Buffer.from('PNG image, honest'))).toBeNull();
    // Only the first bytes of a PNG signature are not a PNG.
    expect(sniffEvidenceType(EVIDENCE_BYTES.png.subarray(0, 4))).toBeNull();
  });

  it('accepts a PNG and a JPEG, keeps them byte for byte under their own type and extension', async () => {
    const disputeId = await newCase();
    const files: Array<[string, string, Buffer, string, string]> = [
      // given name, declared type, bytes → kept name, type
      ['scan.png', 'image/png', EVIDENCE_BYTES.png, 'scan.png', 'image/png'],
      ['photo', '', EVIDENCE_BYTES.jpeg, 'photo.jpg', 'image/jpeg'],
      ['receipt.JPEG', 'image/jpeg', EVIDENCE_BYTES.jpeg, 'receipt.JPEG', 'image/jpeg'],
    ];
    for (const [fileName, declaredType, bytes] of files)
      await addDisputeEvidence({
        disputeId,
        upload: { fileName, declaredType, bytes },
        context: context(),
      });
    const evidence = (await getDispute(disputeId))?.evidence ?? [];
    expect(evidence).toHaveLength(files.length);
    for (const [index, [, , bytes, keptName, type]] of files.entries()) {
      const item = evidence[index];
      expect(item).toMatchObject({
        kind: 'file',
        fileName: keptName,
        contentType: type,
        sizeBytes: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      const stored = await getDisputeFile(disputeId, item?.evidenceId ?? '');
      expect(stored?.contentType).toBe(type);
      expect(stored?.bytes.equals(bytes)).toBe(true);
    }
  });

  it('refuses a text file claiming to be a PNG, and an image declared as the other type; nothing is stored', async () => {
    const disputeId = await newCase();
    const before = await disputeCounts(disputeId);
    const uploads = [
      { fileName: 'scan.png', declaredType: 'image/png', bytes: Buffer.from('not an image\n') },
      { fileName: 'scan.png', declaredType: '', bytes: Buffer.from('not an image either\n') },
      { fileName: 'photo.jpg', declaredType: 'image/jpeg', bytes: EVIDENCE_BYTES.png },
      { fileName: 'scan.png', declaredType: 'image/png', bytes: EVIDENCE_BYTES.jpeg },
    ];
    for (const upload of uploads) {
      const error = await refusal(addDisputeEvidence({ disputeId, upload, context: context() }));
      expect(error.code).toBe('unsupported_media_type');
      expect(error.message).toBe(
        'Evidence must be a PDF, PNG or JPEG file, sent with its own content type.',
      );
    }
    expect(await disputeCounts(disputeId)).toEqual(before);
  });

  it('refuses a file over 5 MiB, and any file once the case holds 25 MiB; nothing is stored', async () => {
    const disputeId = await newCase();
    const fill = (size: number) =>
      Buffer.concat([EVIDENCE_BYTES.pdf, Buffer.alloc(size - EVIDENCE_BYTES.pdf.byteLength, 0x20)]);

    const tooBig = await refusal(
      addDisputeEvidence({
        disputeId,
        upload: { fileName: 'big.pdf', declaredType: '', bytes: fill(EVIDENCE_MAX_BYTES + 1) },
        context: context(),
      }),
    );
    expect(tooBig.code).toBe('payload_too_large');
    expect(tooBig.message).toBe('Evidence files are at most 5 MiB each.');

    // Five files of exactly 5 MiB fill the case exactly: the cap includes its limit.
    const full = fill(EVIDENCE_MAX_BYTES);
    for (let index = 0; index < CASE_EVIDENCE_MAX_BYTES / EVIDENCE_MAX_BYTES; index += 1)
      await addDisputeEvidence({
        disputeId,
        upload: { fileName: `part-${index}.pdf`, declaredType: '', bytes: full },
        context: context(),
      });
    const evidence = (await getDispute(disputeId))?.evidence ?? [];
    expect(
      evidence.reduce((sum, item) => sum + (item.kind === 'file' ? item.sizeBytes : 0), 0),
    ).toBe(CASE_EVIDENCE_MAX_BYTES);

    const before = await disputeCounts(disputeId);
    for (const bytes of [EVIDENCE_BYTES.png, uniquePdf()]) {
      const error = await refusal(
        addDisputeEvidence({
          disputeId,
          upload: { fileName: 'one-more', declaredType: '', bytes },
          context: context(),
        }),
      );
      expect(error.code).toBe('payload_too_large');
      expect(error.message).toBe('A case holds at most 25 MiB of files; this one has 25.0 MiB.');
    }
    expect(await disputeCounts(disputeId)).toEqual(before);
    expect((await getDispute(disputeId))?.evidence).toHaveLength(5);
  });
});
