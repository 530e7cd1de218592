/** Where a request came from (the gateway passes it on), for the activity log and login throttling. */
export interface RequestOrigin {
  ip: string;
  userAgent: string;
}

/** Bounded, so a hostile User-Agent cannot bloat the log. */
export const originFrom = (origin: { ip?: string; userAgent?: string } | undefined): RequestOrigin => ({
  ip: (origin?.ip ?? '').slice(0, 64),
  userAgent: (origin?.userAgent ?? '').slice(0, 512),
});
