import { ConfigError, parseConfig } from '../config/parse-config';
import { mailerSettingsSchema } from './settings';

describe('mailerSettingsSchema', () => {
  it('defaults to the local Mailpit and a no-reply sender', () => {
    expect(parseConfig('test', mailerSettingsSchema, {})).toEqual({
      SMTP_URL: 'smtp://127.0.0.1:1025',
      MAIL_FROM: 'CRM Accounts <no-reply@crm.local>',
    });
  });

  it('accepts an smtps URL with credentials and a bare sender address', () => {
    const env = { SMTP_URL: 'smtps://user:pass@smtp.example.com:465', MAIL_FROM: 'no-reply@example.com' };

    expect(parseConfig('test', mailerSettingsSchema, env)).toEqual(env);
  });

  it('names the variable when a value is wrong', () => {
    const parse = () =>
      parseConfig('identity', mailerSettingsSchema, { SMTP_URL: 'http://127.0.0.1:1025', MAIL_FROM: 'a@b.c, d@e.f' });

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(parse).toThrow(/MAIL_FROM: must be one address/);
  });
});
