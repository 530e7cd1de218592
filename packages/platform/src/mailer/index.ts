export { html, safeUrl, SafeHtml, type HtmlValue } from './html';
export {
  createMailer,
  idempotencyKeyHeader,
  templateHeader,
  type MailRequest,
  type Mailer,
  type MailerOptions,
  type SentMail,
} from './mailer';
export { mailerSettingsSchema, type MailerSettings } from './settings';
export {
  renderTemplate,
  templates,
  type InvitationData,
  type InvitationReminderData,
  type MemberJoinedData,
  type PasswordResetData,
  type RenderedEmail,
  type TemplateData,
  type TemplateName,
  type WelcomeData,
} from './templates';
