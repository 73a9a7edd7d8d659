// The schedule bookkeeping on Redis: one hash per scheduled job, moved on by a compare-and-set
// script so that of several processes seeing the same tick, one advances it. Mirrors the
// specstack_job_schedules table of the embedded backend.

import type { Redis } from 'ioredis';
import type { ScheduleStore } from '../jobs-backend.ts';

const ADVANCE = `local current = redis.call('HGET', KEYS[1], 'next')
if (ARGV[1] == '' and not current) or (current == ARGV[1]) then
  redis.call('HSET', KEYS[1], 'next', ARGV[2], 'cron', ARGV[3])
  return 1
end
return 0`;

export function bullmqScheduleStore(redis: Redis, prefix: string): ScheduleStore {
  const key = (name: string) => `${prefix}:specstack:schedule:${name}`;
  return {
    async read(name) {
      const found = await redis.hgetall(key(name));
      return found.next && found.cron !== undefined
        ? { nextTick: Number(found.next), cron: found.cron }
        : undefined;
    },
    async advance(name, expected, next, cron) {
      const changed = await redis.eval(
        ADVANCE,
        1,
        key(name),
        expected === undefined ? '' : String(expected),
        String(next),
        cron,
      );
      return changed === 1;
    },
  };
}
