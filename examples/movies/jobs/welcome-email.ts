// Sent right after sign-up (enqueued in the sign-up's transaction).

import { defineJob } from 'specstack';
import { sendToOutbox, type UserJobPayload } from '../lib/outbox.ts';

export default defineJob<UserJobPayload>({
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  handler: (context) =>
    sendToOutbox(context, {
      subject: 'Welcome to specstack movies',
      body: (name) =>
        `Hello ${name},\n\nwelcome aboard. Rate a few movies you have seen and we will recommend others.\n`,
    }),
});
