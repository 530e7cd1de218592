import { html, safeUrl, type HtmlValue, type SafeHtml } from './html';

/**
 * The emails the product sends, as a typed registry: `name → (data) => { subject, text, html }`.
 *
 * - Every template returns a plain-text part and an HTML part with the same content.
 * - Every value that comes from a person (names, account names, emails) is escaped in the HTML by the `html`
 *   tag; links must be absolute http(s) URLs (`safeUrl`); subjects are folded onto one line.
 * - Dates may be `Date`s or ISO strings (what a Temporal activity receives after JSON), and are shown in the
 *   account's IANA time zone (`timeZone`, default UTC).
 */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Instant = Date | string;

export interface InvitationData {
  accountName: string;
  /** Full name of the person who sent the invitation. */
  inviterName: string;
  /** First name of the invitee, to greet them; omitted → "Hi,". */
  firstName?: string;
  /** The single-use link to the page where the invitee sets a password. */
  acceptUrl: string;
  expiresAt: Instant;
  /** The account's time zone, e.g. `Europe/Paris`. */
  timeZone?: string;
}

export type InvitationReminderData = InvitationData;

export interface WelcomeData {
  accountName: string;
  firstName: string;
  /** The address the user signs in with. */
  email: string;
  loginUrl: string;
}

export interface MemberJoinedData {
  accountName: string;
  /** First name of the inviter, who receives this email. */
  firstName: string;
  /** Full name of the person who accepted the invitation. */
  memberName: string;
  memberEmail: string;
  /** Where the inviter can review the new member's calendars and pipelines. */
  staffUrl: string;
}

export interface PasswordResetData {
  accountName: string;
  firstName?: string;
  /** The single-use link to the page where the user sets a new password. */
  resetUrl: string;
  expiresAt: Instant;
  timeZone?: string;
}

export const templates = {
  invitation: (data: InvitationData): RenderedEmail => invitationEmail(data, false),

  'invitation-reminder': (data: InvitationReminderData): RenderedEmail => invitationEmail(data, true),

  welcome: (data: WelcomeData): RenderedEmail => {
    const loginUrl = safeUrl(data.loginUrl);
    return {
      subject: oneLine(`Welcome to ${data.accountName}`),
      text: textEmail([
        `Hi ${data.firstName},`,
        `Your account in ${data.accountName} is ready. Sign in with ${data.email} and the password you just set:`,
        loginUrl,
      ]),
      html: htmlEmail({
        title: `Welcome to ${data.accountName}`,
        preheader: `Your account in ${data.accountName} is ready.`,
        body: html` <p>Hi ${data.firstName},</p>
          <p>
            Your account in <strong>${data.accountName}</strong> is ready. Sign in with
            <strong>${data.email}</strong> and the password you just set.
          </p>
          ${button(loginUrl, 'Sign in')}`,
      }),
    };
  },

  'member-joined': (data: MemberJoinedData): RenderedEmail => {
    const staffUrl = safeUrl(data.staffUrl);
    return {
      subject: oneLine(`${data.memberName} joined ${data.accountName}`),
      text: textEmail([
        `Hi ${data.firstName},`,
        `${data.memberName} (${data.memberEmail}) accepted your invitation and can now sign in to ${data.accountName}.`,
        `New team members are not added to round-robin calendars or pipelines automatically. Check theirs here:`,
        staffUrl,
      ]),
      html: htmlEmail({
        title: `${data.memberName} joined ${data.accountName}`,
        preheader: `${data.memberName} accepted your invitation.`,
        body: html` <p>Hi ${data.firstName},</p>
          <p>
            <strong>${data.memberName}</strong> (${data.memberEmail}) accepted your invitation and can now sign in to
            <strong>${data.accountName}</strong>.
          </p>
          <p>New team members are not added to round-robin calendars or pipelines automatically.</p>
          ${button(staffUrl, 'Review their access')}`,
      }),
    };
  },

  'password-reset': (data: PasswordResetData): RenderedEmail => {
    const resetUrl = safeUrl(data.resetUrl);
    const expires = formatInstant(data.expiresAt, data.timeZone);
    return {
      subject: oneLine(`Reset your password for ${data.accountName}`),
      text: textEmail([
        greeting(data.firstName),
        `Someone asked to reset the password of your account in ${data.accountName}. To choose a new password, open:`,
        resetUrl,
        `This link works once and expires on ${expires}.`,
        `If you did not ask for this, ignore this email: your password stays the same.`,
      ]),
      html: htmlEmail({
        title: `Reset your password for ${data.accountName}`,
        preheader: `This link expires on ${expires}.`,
        body: html` <p>${greeting(data.firstName)}</p>
          <p>Someone asked to reset the password of your account in <strong>${data.accountName}</strong>.</p>
          ${button(resetUrl, 'Choose a new password')}
          <p>This link works once and expires on ${expires}.</p>
          <p>If you did not ask for this, ignore this email: your password stays the same.</p>`,
      }),
    };
  },
} as const satisfies Record<string, (data: never) => RenderedEmail>;

export type TemplateName = keyof typeof templates;

export type TemplateData<Name extends TemplateName> = Parameters<(typeof templates)[Name]>[0];

export function renderTemplate<Name extends TemplateName>(name: Name, data: TemplateData<Name>): RenderedEmail {
  const template = templates[name] as (data: TemplateData<Name>) => RenderedEmail;
  return template(data);
}

function invitationEmail(data: InvitationData, reminder: boolean): RenderedEmail {
  const acceptUrl = safeUrl(data.acceptUrl);
  const expires = formatInstant(data.expiresAt, data.timeZone);
  const invited = `${data.inviterName} invited you to join ${data.accountName}`;
  const subject = reminder ? `Reminder: ${invited}` : invited;
  const stillWaiting = reminder ? ', and the invitation is still waiting for you' : '';
  return {
    subject: oneLine(subject),
    text: textEmail([
      greeting(data.firstName),
      `${invited}${stillWaiting}.`,
      `Set your password to accept the invitation:`,
      acceptUrl,
      `This link works once and expires on ${expires}. If you were not expecting this invitation, you can ignore this email.`,
    ]),
    html: htmlEmail({
      title: subject,
      preheader: `The invitation expires on ${expires}.`,
      body: html` <p>${greeting(data.firstName)}</p>
        <p>
          <strong>${data.inviterName}</strong> invited you to join <strong>${data.accountName}</strong>${stillWaiting}.
        </p>
        ${button(acceptUrl, 'Accept the invitation')}
        <p>
          This link works once and expires on ${expires}. If you were not expecting this invitation, you can ignore this
          email.
        </p>`,
    }),
  };
}

function greeting(firstName: string | undefined): string {
  return firstName ? `Hi ${firstName},` : 'Hi,';
}

/** Header values are one line: a name with a line break must not break the Subject header. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function formatInstant(value: Instant, timeZone = 'UTC'): string {
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime())) throw new TypeError('An email date must be a valid Date or ISO-8601 string');
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(instant);
}

const footer = 'You received this email because of your account on the CRM. Replies to this address are not read.';

function textEmail(paragraphs: string[]): string {
  return `${paragraphs.join('\n\n')}\n\n-- \n${footer}\n`; // "-- " is the usenet signature separator
}

function button(url: string, label: string): SafeHtml {
  return html` <p style="margin:24px 0;">
      <a
        href="${url}"
        style="display:inline-block;padding:12px 20px;background:#2563eb;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;"
        >${label}</a
      >
    </p>
    <p style="font-size:13px;color:#6b7280;">
      If the button does not work, paste this link into your browser:<br />
      <a href="${url}" style="color:#2563eb;word-break:break-all;">${url}</a>
    </p>`;
}

function htmlEmail({ title, preheader, body }: { title: string; preheader: HtmlValue; body: SafeHtml }): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${oneLine(title)}</title>
      </head>
      <body style="margin:0;padding:0;background:#f4f5f7;">
        <span style="display:none;max-height:0;overflow:hidden;opacity:0;">${preheader}</span>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;">
          <tr>
            <td align="center" style="padding:24px 12px;">
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                style="max-width:560px;background:#ffffff;border-radius:8px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;"
              >
                <tr>
                  <td style="padding:32px;">${body}</td>
                </tr>
              </table>
              <p style="max-width:560px;font-family:Helvetica,Arial,sans-serif;font-size:12px;color:#6b7280;">
                ${footer}
              </p>
            </td>
          </tr>
        </table>
      </body>
    </html> `.value;
}
