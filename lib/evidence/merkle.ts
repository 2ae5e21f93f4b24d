// The Merkle tree of RFC 6962 (Certificate Transparency), as RFC 9162 restates it: the one every
// transparency log uses, so that a proof Chronicle gives out can be checked with anyone's code.
//
//   leaf hash  = SHA-256(0x00 || leaf bytes)
//   node hash  = SHA-256(0x01 || left || right)
//   MTH(D[n])  = SHA-256("") for n = 0, the leaf hash for n = 1, otherwise
//                node(MTH(D[0:k]), MTH(D[k:n])) with k the largest power of two smaller than n.
//
// The distinct prefixes keep a leaf from ever passing for a node (second-preimage attacks), and
// the split rule fixes the shape of the tree for every size. Hashes are 32-byte Buffers here;
// documents carry them as lowercase hex.

import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than `n` (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The tree head of the leaves whose hashes are given, in order. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return createHash('sha256').digest();
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

function subtreeRoot(leaves: readonly Uint8Array[], from: number, to: number): Buffer {
  const size = to - from;
  if (size === 1) return Buffer.from(leaves[from] as Uint8Array);
  const k = splitPoint(size);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/**
 * The audit path of leaf `index` (RFC 6962 2.1.1): the sibling subtree heads from the leaf's
 * level up to the root, nearest first.
 */
export function inclusionPath(leafHashes: readonly Uint8Array[], index: number): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length)
    throw new RangeError(`leaf ${index} is not in a tree of ${leafHashes.length}`);
  return pathOf(leafHashes, index, 0, leafHashes.length);
}

function pathOf(leaves: readonly Uint8Array[], index: number, from: number, to: number): Buffer[] {
  const size = to - from;
  if (size === 1) return [];
  const k = splitPoint(size);
  return index < k
    ? [...pathOf(leaves, index, from, from + k), subtreeRoot(leaves, from + k, to)]
    : [...pathOf(leaves, index - k, from + k, to), subtreeRoot(leaves, from, from + k)];
}

/**
 * Whether `path` proves that the leaf with hash `leaf` is number `index` of a tree of `size`
 * leaves with head `root` (the verification algorithm of RFC 9162 2.1.3.2).
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size)
    return false;
  let fn = index;
  let sn = size - 1;
  let hash: Buffer = Buffer.from(leaf);
  for (const sibling of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        do {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        } while (fn % 2 === 0 && fn !== 0);
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.equals(Buffer.from(root));
}
