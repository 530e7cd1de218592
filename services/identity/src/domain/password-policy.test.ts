import { passwordProblems } from './password-policy';

const codes = (password: string, email?: string) =>
  passwordProblems(password, { email }).map((problem) => problem.code);

describe('passwordProblems', () => {
  it('accepts a 12-character passphrase that is not a common password', () => {
    expect(codes('violet kettle')).toEqual([]);
  });

  it('counts characters, not bytes, so a passphrase in any script is measured as typed', () => {
    expect(codes('ключ от дома')).toEqual([]);
    expect(codes('ключ от дом')).toEqual(['too_short']);
  });

  it('refuses fewer than 12 or more than 128 characters', () => {
    expect(codes('eleven char')).toEqual(['too_short']);
    expect(codes('x'.repeat(64) + 'y'.repeat(65))).toEqual(['too_long']);
  });

  it('refuses the most common passwords, whatever their case', () => {
    expect(codes('qwerty123456')).toEqual(['too_common']);
    expect(codes('1Q2W3E4R5T6Y')).toEqual(['too_common']);
    expect(codes('aaaaaaaaaaaaaa')).toEqual(['too_common']);
  });

  it('refuses a password that contains the email address', () => {
    expect(codes('grace@acme.test!', 'Grace@Acme.test')).toEqual(['contains_email']);
  });
});
