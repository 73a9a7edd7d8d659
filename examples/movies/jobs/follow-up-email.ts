// Sent ten days after sign-up (enqueued then, delayed): the reference's user workflow TODO.

import { defineJob } from 'specstack';
import { sendToOutbox, type UserJobPayload } from '../lib/outbox.ts';

export const FOLLOW_UP_DELAY = 10 * 24 * 60 * 60 * 1000;

export default defineJob<UserJobPayload>({
  attempts: 5,
  backoff: { type: 'exponential', delay: 60_000 },
  handler: (context) =>
    sendToOutbox(context, {
      subject: 'How are you finding specstack movies?',
      body: (name) =>
        `Hello ${name},\n\nyou joined ten days ago. Your recommendations get better with every rating.\n`,
    }),
});
