import escapeHtml from 'escape-html';

/**
 * Auto-escaping HTML for email templates, in plain TypeScript: the `html` tag escapes every interpolated value
 * (with `escape-html`, the escaper Express uses) unless that value is itself the result of `html`. Templates
 * stay typed functions of their data, with no template language, compiler or runtime to learn; an
 * unescaped string cannot slip in by accident, because the only way to mark markup as trusted is to build
 * it with `html` from a literal.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), markup built with `html`, lists of either, or nothing. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, literal, i) => out + render(values[i - 1] as HtmlValue) + literal));
}

/**
 * A link target that is safe to put in `href`: only absolute http(s) URLs (never `javascript:` or `data:`).
 * The result is still a plain string, escaped like any other value when interpolated.
 */
export function safeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('A link in an email must be an absolute http(s) URL'); // no URL: it may carry a token
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`Only http(s) links may appear in emails, not ${parsed.protocol}`);
  }
  return parsed.href;
}
