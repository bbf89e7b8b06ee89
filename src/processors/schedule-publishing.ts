// A letter scheduled gets a job due at its time that publishes it; a
// rescheduled letter gets another, and a job that finds the letter not (yet)
// due does nothing. A sweep every minute catches any due letter whose job was
// lost (publishing/publish.ts).
import { enqueueJob } from '../db/repositories/jobs.ts';
import type { Processor } from '../events/processor.ts';

export const schedulePublishing: Processor = {
  name: 'schedule-publishing',
  on: ['schedule'],
  async process(ctx, trx, event) {
    if (event.letter?.status !== 'scheduled') return;
    await enqueueJob(ctx.db, trx, 'publish_scheduled', { letterId: event.letter.id }, event.letter.scheduledAt ?? new Date());
  },
};
