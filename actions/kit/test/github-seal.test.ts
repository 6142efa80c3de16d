import sodium from 'libsodium-wrappers';
import { describe, expect, it } from 'vitest';
import { sealForGitHub } from '../src/github/seal';

describe('sealForGitHub', () => {
  it('produces a base64 sealed box that only the matching private key opens', async () => {
    await sodium.ready;
    const pair = sodium.crypto_box_keypair();
    const other = sodium.crypto_box_keypair();
    const key = { key_id: '1', key: sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL) };

    const sealed = await sealForGitHub('123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway', key);

    const cipher = sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL);
    expect(sodium.to_string(sodium.crypto_box_seal_open(cipher, pair.publicKey, pair.privateKey))).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/api-gateway',
    );
    expect(() => sodium.crypto_box_seal_open(cipher, other.publicKey, other.privateKey)).toThrow();
  });

  it('refuses a key that is not a 32-byte Curve25519 key', async () => {
    await expect(sealForGitHub('v', { key_id: '7', key: 'c2hvcnQ=' })).rejects.toThrow(
      'public key 7 from GitHub is 5 bytes, not the 32 of a Curve25519 key',
    );
  });
});
