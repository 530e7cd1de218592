/** A card as billing keeps it: never the number, only what a person needs to recognise it. */
export interface CardSummary {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type CardExpiry = 'valid' | 'expiring' | 'expired';

/** The first instant after the card's expiry month (cards are valid through the end of that month, UTC). */
export const cardExpiresAt = (card: Pick<CardSummary, 'expMonth' | 'expYear'>) =>
  new Date(Date.UTC(card.expYear, card.expMonth, 1));

/** `expiring` within `warnBefore` ms of the end of its expiry month, `expired` after it. */
export function cardExpiry(card: Pick<CardSummary, 'expMonth' | 'expYear'>, now: Date, warnBefore: number): CardExpiry {
  const end = cardExpiresAt(card).getTime();
  if (now.getTime() >= end) return 'expired';
  return end - now.getTime() <= warnBefore ? 'expiring' : 'valid';
}
