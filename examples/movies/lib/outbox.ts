// Mail goes to the outbox table instead of a mail server (a real SMTP transport would read and
// send it). A message is keyed by the job that wrote it, so a job run twice (jobs are
// at-least-once) sends once; the user's task for the job is marked done in the same transaction.

import { errors, type JobContext } from 'specstack';

export interface UserJobPayload {
  userId: number;
}

export interface Mail {
  subject: string;
  body(name: string): string;
}

export async function sendToOutbox(context: JobContext<UserJobPayload>, mail: Mail) {
  const user = await context.db.repository('User').findByKey(context.payload.userId);
  // The account was deleted meanwhile: nothing to send, and nothing to retry.
  if (!user) return { sent: false, reason: 'no such user' };
  return context.db.transaction(async (tx) => {
    try {
      await tx.repository('OutboxMessage').insert({
        job_id: context.id,
        user_id: user.id,
        to: user.email,
        subject: mail.subject,
        body: mail.body(String(user.name)),
      });
    } catch (error) {
      // A previous attempt got this far: the message is already in the outbox.
      if ((error as { code?: string }).code !== errors.UNIQUE_VIOLATION.code) throw error;
    }
    const tasks = tx.repository('Task');
    const { rows } = await tasks.list({ filters: { job_id: context.id }, sort: [], limit: 1 });
    if (rows[0]) await tasks.update(rows[0].id as number, { status: 'done' });
    return { sent: true, to: user.email };
  });
}
