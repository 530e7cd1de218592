import { activityAction } from './activity-recorder';

describe('activityAction', () => {
  it('names an action after the route’s tag and operation id', () => {
    expect(activityAction({ tag: 'Staff', operationId: 'inviteStaff' })).toBe('staff.invite_staff');
    expect(activityAction({ tag: 'Sessions', operationId: 'logout' })).toBe('sessions.logout');
    expect(activityAction({ tag: 'Billing', operationId: 'changePlan' })).toBe('billing.change_plan');
  });
});
