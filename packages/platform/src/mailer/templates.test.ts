import { html, safeUrl } from './html';
import { renderTemplate, templates, type TemplateData, type TemplateName } from './templates';

const hostile = '<script>alert("x")</script> & "Bob\'s"';

/** Valid data for every template, with a hostile value in every field a person can type. */
function sampleData(name: string): { [Name in TemplateName]: TemplateData<Name> } {
  return {
    invitation: {
      accountName: `Acme ${name}`,
      inviterName: `Ada ${name}`,
      firstName: `Grace ${name}`,
      acceptUrl: 'https://app.crm.example/invite/tok_abc123',
      expiresAt: '2026-03-08T14:30:00Z',
      timeZone: 'Europe/Paris',
    },
    'invitation-reminder': {
      accountName: `Acme ${name}`,
      inviterName: `Ada ${name}`,
      firstName: `Grace ${name}`,
      acceptUrl: 'https://app.crm.example/invite/tok_abc123',
      expiresAt: new Date('2026-03-08T14:30:00Z'),
    },
    welcome: {
      accountName: `Acme ${name}`,
      firstName: `Grace ${name}`,
      email: `grace+${name}@acme.test`,
      loginUrl: 'https://app.crm.example/login',
    },
    'member-joined': {
      accountName: `Acme ${name}`,
      firstName: `Ada ${name}`,
      memberName: `Grace ${name}`,
      memberEmail: `grace+${name}@acme.test`,
      staffUrl: 'https://app.crm.example/staff/usr_1',
    },
    'password-reset': {
      accountName: `Acme ${name}`,
      firstName: `Grace ${name}`,
      resetUrl: 'https://app.crm.example/reset/tok_def456',
      expiresAt: '2026-03-08T14:30:00Z',
    },
  };
}

const names = Object.keys(templates) as TemplateName[];

describe('email templates', () => {
  it.each(names)('%s produces a subject, a plain-text part and an HTML part', (name) => {
    const email = renderTemplate(name, sampleData('Example')[name]);

    expect(email.subject).toContain('Acme Example');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('Acme Example');
    expect(email.text).not.toMatch(/<[a-z]/i);
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.html).toContain('Acme Example');
  });

  it.each(names)('%s escapes HTML in every field a person supplies', (name) => {
    const email = renderTemplate(name, sampleData(hostile)[name]);

    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('"Bob\'s"');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Bob&#39;s&quot;');
  });

  it.each(names)('%s keeps person-supplied text as it is in the plain-text part', (name) => {
    expect(renderTemplate(name, sampleData(hostile)[name]).text).toContain(hostile);
  });

  it('puts the accept link and the expiry, in the account time zone, in both parts of the invitation', () => {
    const email = templates.invitation(sampleData('Dental').invitation);

    expect(email.subject).toBe('Ada Dental invited you to join Acme Dental');
    expect(email.text).toContain('https://app.crm.example/invite/tok_abc123');
    expect(email.html).toContain('href="https://app.crm.example/invite/tok_abc123"');
    expect(email.text).toContain('expires on March 8, 2026 at 3:30 PM GMT+1');
    expect(email.html).toContain('expires on March 8, 2026 at 3:30 PM GMT+1');
  });

  it('says a reminder is a reminder', () => {
    expect(templates['invitation-reminder'](sampleData('Dental')['invitation-reminder']).subject).toBe(
      'Reminder: Ada Dental invited you to join Acme Dental',
    );
  });

  it('greets without a name when the invitee has none on record', () => {
    const { firstName: _, ...data } = sampleData('Dental').invitation;

    expect(templates.invitation(data).text).toMatch(/^Hi,\n/);
  });

  it('folds a line break in a name out of the subject', () => {
    const email = templates.welcome({ ...sampleData('x').welcome, accountName: 'Acme\r\nBcc: victim@example.com' });

    expect(email.subject).toBe('Welcome to Acme Bcc: victim@example.com');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() =>
      templates['password-reset']({ ...sampleData('x')['password-reset'], resetUrl: 'javascript:alert(1)' }),
    ).toThrow(TypeError);
  });

  it('refuses an invalid expiry date', () => {
    expect(() => templates.invitation({ ...sampleData('x').invitation, expiresAt: 'next week' })).toThrow(TypeError);
  });

  it('reminds the inviter that new members are not added to calendars or pipelines automatically', () => {
    const email = templates['member-joined'](sampleData('Dental')['member-joined']);

    expect(email.text).toContain('not added to round-robin calendars or pipelines automatically');
    expect(email.html).toContain('href="https://app.crm.example/staff/usr_1"');
  });
});

describe('html', () => {
  it('escapes interpolated text but keeps nested html fragments', () => {
    const item = (label: string) => html`<li>${label}</li>`;

    // prettier-ignore
    const rendered = html`<ul>${['<b>', 'a&b'].map(item)}</ul>${null}${false}${undefined}${2}`;

    expect(rendered.value).toBe('<ul><li>&lt;b&gt;</li><li>a&amp;b</li></ul>2');
  });
});

describe('safeUrl', () => {
  it('accepts absolute http(s) URLs only', () => {
    expect(safeUrl('https://app.crm.example/invite/abc')).toBe('https://app.crm.example/invite/abc');
    expect(() => safeUrl('data:text/html,<script>')).toThrow(TypeError);
    expect(() => safeUrl('/relative')).toThrow(TypeError);
  });
});
