// The Merkle tree against the test vectors of RFC 6962 as Certificate Transparency publishes
// them (transparency-dev/merkle, testonly/constants.go): the same leaves must give the same tree
// heads and the same audit paths as every other implementation, or a proof convinces no one.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inclusionPath, leafHash, merkleRoot, verifyInclusion } from './merkle';

const unhex = (hex: string) => Buffer.from(hex, 'hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((leaf) => leafHash(unhex(leaf)));

/** The tree head after 0..8 of the leaves above. */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** Published audit paths in the tree of all eight leaves. */
const PATHS = [
  {
    index: 0,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

describe('the Merkle tree (RFC 6962)', () => {
  it('gives the published tree head for every size from 0 to 8', () => {
    for (let size = 0; size <= LEAVES.length; size += 1)
      expect(hex(merkleRoot(LEAVES.slice(0, size))), `size ${size}`).toBe(ROOTS[size]);
  });

  it('gives the published audit paths, and they verify', () => {
    const root = unhex(ROOTS[8] as string);
    for (const { index, path } of PATHS) {
      expect(inclusionPath(LEAVES, index).map(hex)).toEqual(path);
      expect(verifyInclusion(LEAVES[index] as Buffer, index, 8, path.map(unhex), root)).toBe(true);
    }
  });

  it('proves every leaf of every tree up to 70 leaves, and nothing else', () => {
    const leaves = Array.from({ length: 70 }, (_, index) => leafHash(Buffer.from([index, 7])));
    for (let size = 1; size <= leaves.length; size += 1) {
      const tree = leaves.slice(0, size);
      const root = merkleRoot(tree);
      for (let index = 0; index < size; index += 1) {
        const path = inclusionPath(tree, index);
        const leaf = tree[index] as Buffer;
        // (The tree size is not proven by the path alone: it comes from the signed checkpoint.)
        expect(verifyInclusion(leaf, index, size, path, root)).toBe(true);
        if (size > 1) {
          expect(verifyInclusion(leaf, (index + 1) % size, size, path, root)).toBe(false);
          expect(verifyInclusion(leafHash(Buffer.from('x')), index, size, path, root)).toBe(false);
        }
      }
    }
  });

  it('rejects any change to a path', () => {
    const leaves = Array.from({ length: 13 }, (_, index) => leafHash(Buffer.from([index])));
    const root = merkleRoot(leaves);
    fc.assert(
      fc.property(fc.nat({ max: 12 }), fc.nat(), fc.nat({ max: 31 }), (index, pick, byte) => {
        const path = inclusionPath(leaves, index).map((node) => Buffer.from(node));
        const node = path[pick % path.length] as Buffer;
        node[byte] = (node[byte] as number) ^ 0x01;
        return !verifyInclusion(leaves[index] as Buffer, index, 13, path, root);
      }),
    );
  });
});
