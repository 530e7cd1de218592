import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

/**
 * argon2id with the first of OWASP's recommended configurations (Password Storage Cheat Sheet): 19 MiB of memory,
 * 2 iterations, 1 degree of parallelism. The parameters are written into every hash (`$argon2id$v=19$m=19456,t=2,p=1$…`),
 * so raising them later re-hashes nothing and still verifies old hashes.
 */
export const argon2Parameters = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(storedHash: string, password: string): Promise<boolean>;
  /** Costs the same as a real verification: run it when there is no user, so timing does not reveal that. */
  verifyNothing(password: string): Promise<false>;
}

export function createPasswordHasher(): PasswordHasher {
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, argon2Parameters),
    async verify(storedHash, password) {
      try {
        return await verify(storedHash, password);
      } catch {
        return false; // a malformed stored hash never opens the door
      }
    },
    async verifyNothing(password) {
      decoy ??= hash('decoy password, never anyone’s', argon2Parameters);
      await verify(await decoy, password).catch(() => false);
      return false;
    },
  };
}
