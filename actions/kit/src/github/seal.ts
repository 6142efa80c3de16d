import sodium from 'libsodium-wrappers';

/** A target's Actions public key as GitHub returns it: an id and a base64 Curve25519 key. */
export interface PublicKey {
  key_id: string;
  key: string;
}

/**
 * Encrypts a value for GitHub with a libsodium sealed box (anonymous sender) under the target's public key,
 * base64-encoded as the secrets API expects. Only GitHub, holding the private key, can open it.
 */
export async function sealForGitHub(value: string, publicKey: PublicKey): Promise<string> {
  await sodium.ready;
  let key: Uint8Array;
  try {
    key = sodium.from_base64(publicKey.key, sodium.base64_variants.ORIGINAL);
  } catch {
    throw new Error(`public key ${publicKey.key_id} from GitHub is not valid base64`);
  }
  if (key.length !== sodium.crypto_box_PUBLICKEYBYTES) {
    throw new Error(
      `public key ${publicKey.key_id} from GitHub is ${key.length} bytes, not the ${sodium.crypto_box_PUBLICKEYBYTES} of a Curve25519 key`,
    );
  }
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}
