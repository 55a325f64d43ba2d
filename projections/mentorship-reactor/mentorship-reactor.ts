import type { CommandRunner } from '@ect/command-runner';
import { isoDate } from '@ect/contract-periods';
import type { StoredEvent } from '@ect/event-store';
import { defineProjection, type Projection, type ProjectionContext } from '@ect/projection-runtime';
import { teacherDecider, teacherEventCodec, type TeacherCommand } from '@ect/teachers';
import { ERASED, ERASURE_STREAMS, erasedSubject, PERSONAL_DATA_ERASED } from '../shared/erasure';
import { streamId } from '../shared/folded-state';

export const MENTORSHIP_REACTOR = 'mentorship-reactor';
const ATTEMPTS = 5;

/**
 * When a mentor leaves a school, their mentorships there must end; but mentorships are recorded on the mentees'
 * (ECT) streams. This reactor keeps which ECTs each mentor was assigned to at each school, and on MentorLeftSchool
 * sends EndMentorshipBecauseMentorLeft to each of those ECT streams.
 *
 * Delivery: at least once. The commands run before the batch's checkpoint commits, so after a crash they may run
 * again; the decision is idempotent (it ends only mentorships still running past the leaving date). A rebuild
 * never sends commands: the history it replays was already acted on.
 */
export function createMentorshipReactor(runner: () => CommandRunner): Projection {
  return defineProjection({
    name: MENTORSHIP_REACTOR,
    streamPrefixes: ['teacher-', ERASURE_STREAMS],
    handlers: {
      [PERSONAL_DATA_ERASED]: forgetTrn,
      ECTRegistered: rememberTrn,
      MentorRegistered: rememberTrn,
      MentorAssignedToECT: async (event, ctx) => {
        const data = teacherEventCodec.decode(event).data as { schoolUrn: string; mentorTrn: string };
        await ctx.query(`insert into ${ctx.table('mentees')} values ($1, $2, $3) on conflict do nothing`, [data.schoolUrn, data.mentorTrn, streamId(event)]);
      },
      MentorLeftSchool: async (event, ctx) => {
        if (ctx.mode !== 'live') return;
        const { schoolUrn, leavingOn } = teacherEventCodec.decode(event).data as { schoolUrn: string; leavingOn: string };
        const { rows } = await ctx.query<{ ect_key: string }>(
          `select m.ect_key from ${ctx.table('mentees')} m join ${ctx.table('teacher_trns')} t on t.trn = m.mentor_trn
           where t.teacher_key = $1 and m.urn = $2 order by m.ect_key`,
          [streamId(event), schoolUrn],
        );
        const mentorTrn = await trnOf(ctx, streamId(event));
        // An erased mentor's TRN reads ERASED, like every erased mentor's: their mentorships can no longer be told apart.
        if (mentorTrn === ERASED) return;
        for (const { ect_key } of rows) await endMentorship(runner(), event, `teacher-${ect_key}`, { schoolUrn, mentorTrn, leavingOn });
      },
    },
    migrations: [
      {
        id: '001-tables',
        sql: `
          create table teacher_trns (teacher_key text primary key, trn text not null);
          create table mentees (urn text not null, mentor_trn text not null, ect_key text not null, primary key (urn, mentor_trn, ect_key));
        `,
      },
    ],
  });
}

async function rememberTrn(event: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const { trn } = event.data as { trn: string };
  await ctx.query(`insert into ${ctx.table('teacher_trns')} as t values ($1, $2) on conflict (teacher_key) do update set trn = excluded.trn where t.trn = $3`, [
    streamId(event),
    trn,
    ERASED,
  ]);
}

/** A teacher's erasure: their TRN becomes ERASED here too, as a rebuild would now read it. */
async function forgetTrn(event: StoredEvent, ctx: ProjectionContext): Promise<void> {
  const { subject } = erasedSubject(event);
  if (subject.type !== 'teacher') return;
  const trn = await trnOf(ctx, subject.id);
  await ctx.query(`update ${ctx.table('teacher_trns')} set trn = $2 where teacher_key = $1`, [subject.id, ERASED]);
  if (!trn || trn === ERASED) return;
  await ctx.query(
    `with gone as (delete from ${ctx.table('mentees')} where mentor_trn = $1 returning urn, ect_key)
     insert into ${ctx.table('mentees')} select urn, $2, ect_key from gone on conflict do nothing`,
    [trn, ERASED],
  );
}

async function trnOf(ctx: ProjectionContext, key: string): Promise<string> {
  const { rows } = await ctx.query<{ trn: string }>(`select trn from ${ctx.table('teacher_trns')} where teacher_key = $1`, [key]);
  return rows[0]?.trn ?? '';
}

/** Retries transient failures a few times; a persistent one stops the reactor (visible on /health) to be resumed. */
async function endMentorship(runner: CommandRunner, cause: StoredEvent, streamName: string, data: { schoolUrn: string; mentorTrn: string; leavingOn: string }) {
  const command: TeacherCommand = {
    type: 'EndMentorshipBecauseMentorLeft',
    data,
    metadata: { now: cause.recordedAt.toISOString(), today: isoDate(cause.recordedAt), actingUserId: cause.metadata.actingUserId },
  };
  const context = {
    correlationId: cause.metadata.correlationId,
    causationId: cause.eventId,
    actingUserId: cause.metadata.actingUserId,
    actingService: 'ect-register-projector',
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await runner.execute({ streamName, decider: teacherDecider, codec: teacherEventCodec, command, context });
      return;
    } catch (error) {
      if (attempt >= ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
