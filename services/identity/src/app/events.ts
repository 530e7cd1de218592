import type { EventActor } from '@crm/contracts';
import type { User } from '../domain/user';

/** A user as events carry them (never credentials). */
export const userSnapshot = (user: User) => ({
  userId: user.id,
  email: user.email,
  firstName: user.firstName,
  lastName: user.lastName,
  phone: user.phone,
  profileId: user.profileId,
  status: user.status,
  isOwner: user.isOwner,
});

export const userActor = (userId: string): EventActor => ({ kind: 'user', id: userId });
export const systemActor = (component: string): EventActor => ({ kind: 'system', id: component });
