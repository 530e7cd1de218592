import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The kinds of bearer secret identity issues; the prefix tells a person (and a secret scanner) what a token is. */
export type TokenKind = 'invitation' | 'session' | 'password_reset';

const prefixes: Record<TokenKind, string> = { invitation: 'inv', session: 'ses', password_reset: 'pwr' };

export interface IssuedToken {
  /** What the holder gets, once: `<prefix>_<43 base64url characters>` (256 bits from the CSPRNG). */
  token: string;
  /** What is stored: SHA-256 of the token. */
  hash: Buffer;
}

export function issueToken(kind: TokenKind): IssuedToken {
  const token = `${prefixes[kind]}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

/**
 * The digest a token is stored and looked up by. Lookup by digest means a guess never meets the stored value
 * byte by byte; `sameDigest` then confirms the row in constant time.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function sameDigest(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Cheap shape check before any database work: a token of this kind, as issued. */
export function looksLikeToken(kind: TokenKind, token: string): boolean {
  return new RegExp(`^${prefixes[kind]}_[A-Za-z0-9_-]{43}$`).test(token);
}
