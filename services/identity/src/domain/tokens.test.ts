import { hashToken, issueToken, looksLikeToken, sameDigest } from './tokens';

describe('issueToken', () => {
  it('issues 256 random bits with a kind prefix, and keeps only the SHA-256 digest', () => {
    const issued = issueToken('invitation');

    expect(issued.token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.token.slice(4), 'base64url')).toHaveLength(32);
    expect(issued.hash).toHaveLength(32);
    expect(sameDigest(issued.hash, hashToken(issued.token))).toBe(true);
  });

  it('never issues the same token twice in a large sample', () => {
    const tokens = new Set(Array.from({ length: 10_000 }, () => issueToken('session').token));

    expect(tokens.size).toBe(10_000);
  });

  it('tells the kinds apart by prefix, so a session token is never taken for an invitation', () => {
    const session = issueToken('session').token;

    expect(looksLikeToken('session', session)).toBe(true);
    expect(looksLikeToken('invitation', session)).toBe(false);
    expect(looksLikeToken('session', `${session}x`)).toBe(false);
  });
});
