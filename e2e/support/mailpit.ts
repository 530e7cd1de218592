import { e2eEnv } from './env';

export interface ReceivedEmail {
  ID: string;
  Subject: string;
  To: { Address: string }[];
  Text: string;
  HTML: string;
}

/** Waits until Mailpit holds `count` messages to `address` (newest first), then returns them in full. */
export async function emailsTo(address: string, count = 1, timeoutMs = 30_000): Promise<ReceivedEmail[]> {
  const base = e2eEnv().MAILPIT_URL;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const search = new URL('/api/v1/search', base);
    search.searchParams.set('query', `to:"${address}"`);
    const { messages } = (await (await fetch(search)).json()) as { messages: { ID: string }[] };
    if (messages.length >= count) {
      return Promise.all(
        messages.map(async ({ ID }) => (await (await fetch(new URL(`/api/v1/message/${ID}`, base))).json()) as ReceivedEmail),
      );
    }
    if (Date.now() > deadline) throw new Error(`expected ${count} email(s) to ${address} within ${timeoutMs} ms, got ${messages.length}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first http(s) link in a text that contains `fragment`. */
export function linkIn(text: string, fragment: string): string {
  const link = text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.includes(fragment));
  if (!link) throw new Error(`no link containing "${fragment}" in:\n${text}`);
  return link;
}
