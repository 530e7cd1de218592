import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from '@crm/platform';
import { fromTemporalFailure, isDomainError, type ErrorCode } from '@crm/platform/errors';
import { html, type SafeHtml } from '@crm/platform/mailer';
import type { ServiceClients } from '../clients';
import { originOf } from './auth.routes';

/**
 * The pages people reach from emails: `GET /invite/{token}` (set a password to join) and `GET /reset-password/{token}`
 * (choose a new password). Plain HTML forms that work without JavaScript, labelled for screen readers; every link
 * that no longer works is explained in plain words. The token is in the URL, so the pages are never cached and
 * send no Referer.
 */
export const headers = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

/** What a person reads when a link does not work, by error code. */
const explanations: Partial<Record<ErrorCode, { title: string; text: string }>> = {
  'identity.invite_not_found': {
    title: 'This link is not valid',
    text: 'We could not find an invitation for this link. Check that you copied the whole link from the email, or ask the person who invited you to send a new invitation.',
  },
  'identity.invite_expired': {
    title: 'This invitation has expired',
    text: 'Invitations are valid for a limited time. Ask an administrator of the account to send you a new invitation.',
  },
  'identity.invite_used': {
    title: 'This invitation was already accepted',
    text: 'The password for this invitation has already been set. Sign in with your email address and that password. If you forgot it, use “Forgot password” on the sign-in page.',
  },
  'identity.invite_revoked': {
    title: 'This invitation was withdrawn',
    text: 'An administrator of the account cancelled this invitation. If you think this is a mistake, contact them.',
  },
  'identity.invite_superseded': {
    title: 'A newer invitation replaced this link',
    text: 'The invitation was sent to you again, and only the link in the most recent email works. Open that email and use its link.',
  },
  'identity.reset_token_invalid': {
    title: 'This link no longer works',
    text: 'Password reset links work once and for a short time. Ask for a new one from the sign-in page.',
  },
};

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <style>
          body {
            font-family:
              system-ui,
              -apple-system,
              'Segoe UI',
              Roboto,
              sans-serif;
            background: #f4f5f7;
            color: #1f2933;
            margin: 0;
            line-height: 1.5;
          }
          main {
            max-width: 28rem;
            margin: 3rem auto;
            background: #fff;
            padding: 2rem;
            border-radius: 8px;
          }
          h1 {
            font-size: 1.5rem;
            margin-top: 0;
          }
          label {
            display: block;
            font-weight: 600;
            margin-top: 1rem;
          }
          [hidden] {
            display: none !important;
          }
          input {
            display: block;
            width: 100%;
            box-sizing: border-box;
            font-size: 1rem;
            padding: 0.6rem;
            margin-top: 0.25rem;
            border: 1px solid #6b7280;
            border-radius: 4px;
          }
          input:focus,
          button:focus {
            outline: 3px solid #2563eb;
            outline-offset: 2px;
          }
          .hint {
            color: #4b5563;
            font-size: 0.9rem;
            margin: 0.25rem 0 0;
          }
          .error {
            background: #fef2f2;
            border: 1px solid #b91c1c;
            color: #7f1d1d;
            padding: 0.75rem;
            border-radius: 4px;
          }
          button {
            margin-top: 1.5rem;
            font-size: 1rem;
            padding: 0.7rem 1.2rem;
            background: #1d4ed8;
            color: #fff;
            border: 0;
            border-radius: 4px;
            cursor: pointer;
          }
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`.value;
}

function passwordForm(options: {
  action: string;
  email: string;
  intro: SafeHtml;
  submit: string;
  error?: string;
}): SafeHtml {
  return html`${options.intro}
    ${options.error ? html`<p class="error" role="alert" id="form-error">${options.error}</p>` : ''}
    <form method="post" action="${options.action}" novalidate>
      <input type="email" name="username" autocomplete="username" value="${options.email}" hidden readonly />
      <label for="password">New password</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        required
        minlength="12"
        maxlength="128"
        aria-describedby="password-hint${options.error ? ' form-error' : ''}"
        ${options.error ? html`aria-invalid="true"` : ''}
      />
      <p class="hint" id="password-hint">
        At least 12 characters. Avoid common passwords; a few unrelated words make a good one.
      </p>
      <label for="confirm">Repeat the password</label>
      <input
        id="confirm"
        name="confirm"
        type="password"
        autocomplete="new-password"
        required
        minlength="12"
        maxlength="128"
      />
      <button type="submit">${options.submit}</button>
    </form>`;
}

/** The page for an error: a known problem in plain words (with its status), anything else a 500 without detail. */
/** The DomainError an RPC failed with: the Connect client may hand it over wrapped (as the cause of a ConnectError). */
export const domainErrorOf = (error: unknown) => (isDomainError(error) ? error : fromTemporalFailure(error));

export function sendProblem(res: Response, error: unknown, logger: Logger, path: string) {
  const domain = domainErrorOf(error);
  const explained = domain && explanations[domain.code];
  if (!domain || !explained) {
    if (!domain || domain.httpStatus >= 500)
      logger.error({ err: error, path: path.replace(/\/[^/]+$/, '/…') }, 'page failed');
    const status = domain && domain.httpStatus < 500 ? domain.httpStatus : 500;
    res
      .status(status)
      .set(headers)
      .type('html')
      .send(
        page(
          'Something went wrong',
          html`<h1>Something went wrong</h1>
            <p>${status < 500 ? (domain?.message ?? '') : 'Please try again in a moment.'}</p>`,
        ),
      );
    return;
  }
  res
    .status(domain.httpStatus)
    .set(headers)
    .type('html')
    .send(
      page(
        explained.title,
        html`<h1>${explained.title}</h1>
          <p>${explained.text}</p>`,
      ),
    );
}

const formFields = (req: Request) => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return {
    password: typeof body.password === 'string' ? body.password : '',
    confirm: typeof body.confirm === 'string' ? body.confirm : '',
  };
};

/** The message for a password the service refused (422) or a confirmation that differs; undefined otherwise. */
function formProblem(error: unknown): string | undefined {
  const domain = domainErrorOf(error);
  if (domain?.code === 'identity.weak_password' || domain?.code === 'validation.failed') return domain.message;
  return undefined;
}

export function mountInvitationPages(app: Express, clients: ServiceClients, logger: Logger): void {
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  app.get('/invite/:token', async (req, res) => {
    const token = req.params.token;
    try {
      const invitation = await clients.identity.getInvitation({ token });
      res.status(200).set(headers).type('html').send(invitePage(token, invitation));
    } catch (error) {
      sendProblem(res, error, logger, req.path);
    }
  });

  app.post('/invite/:token', form, async (req, res) => {
    const token = req.params.token;
    const { password, confirm } = formFields(req);
    try {
      const invitation = await clients.identity.getInvitation({ token });
      if (password !== confirm) {
        res
          .status(422)
          .set(headers)
          .type('html')
          .send(invitePage(token, invitation, 'The two passwords are not the same. Type the same password twice.'));
        return;
      }
      try {
        const accepted = await clients.identity.acceptInvitation({ token, password, origin: originOf(req) });
        res
          .status(200)
          .set(headers)
          .type('html')
          .send(
            page(
              `Welcome to ${invitation.accountName}`,
              html`<h1>You have joined ${invitation.accountName}</h1>
                <p>
                  Your password is set. Sign in with <strong>${accepted.email}</strong> and the account
                  <strong>${accepted.accountSlug}</strong>.
                </p>`,
            ),
          );
      } catch (error) {
        const problem = formProblem(error);
        if (!problem) throw error;
        res
          .status(422)
          .set(headers)
          .type('html')
          .send(invitePage(token, invitation, problem));
      }
    } catch (error) {
      sendProblem(res, error, logger, req.path);
    }
  });

  app.get('/reset-password/:token', (req, res) => {
    res.status(200).set(headers).type('html').send(resetPage(req.params.token));
  });

  app.post('/reset-password/:token', form, async (req, res) => {
    const token = req.params.token;
    const { password, confirm } = formFields(req);
    if (password !== confirm) {
      res
        .status(422)
        .set(headers)
        .type('html')
        .send(resetPage(token, 'The two passwords are not the same. Type the same password twice.'));
      return;
    }
    try {
      await clients.identity.resetPassword({ token, password, origin: originOf(req) });
      res
        .status(200)
        .set(headers)
        .type('html')
        .send(
          page(
            'Password changed',
            html`<h1>Your password is changed</h1>
              <p>Sign in with your new password. Every other session was signed out.</p>`,
          ),
        );
    } catch (error) {
      const problem = formProblem(error);
      if (problem) res.status(422).set(headers).type('html').send(resetPage(token, problem));
      else sendProblem(res, error, logger, req.path);
    }
  });
}

function invitePage(
  token: string,
  invitation: { accountName: string; email: string; firstName: string },
  error?: string,
): string {
  const greeting = invitation.firstName ? `Hi ${invitation.firstName},` : 'Hi,';
  return page(
    `Join ${invitation.accountName}`,
    passwordForm({
      action: `/invite/${encodeURIComponent(token)}`,
      email: invitation.email,
      submit: 'Set password and join',
      error,
      intro: html`<h1>Join ${invitation.accountName}</h1>
        <p>
          ${greeting} you were invited to <strong>${invitation.accountName}</strong>. You will sign in with
          <strong>${invitation.email}</strong>. Choose a password to accept the invitation.
        </p>`,
    }),
  );
}

function resetPage(token: string, error?: string): string {
  return page(
    'Choose a new password',
    passwordForm({
      action: `/reset-password/${encodeURIComponent(token)}`,
      email: '',
      submit: 'Change password',
      error,
      intro: html`<h1>Choose a new password</h1>`,
    }),
  );
}
