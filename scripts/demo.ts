/**
 * `npm run demo`: sends a realistic scenario through the HTTP API of a running service (`npm start` in another
 * terminal) and prints the school overview as a reader sees it.
 *
 *   DEMO_URL (default http://127.0.0.1:3000); tokens are minted with AUTH_JWT_SECRET or the secret the embedded
 *   default generated in DATA_DIR (so run it from the same folder as `npm start`).
 */
import { randomUUID } from 'node:crypto';
import { ContractPeriodCalendar, dayBefore, isoDate } from '@ect/contract-periods';
import { loadConfig, localSecret } from '@ect/platform';
import { mintToken, type Role } from '@ect/nest-kit';

const base = (process.env.DEMO_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
let secret = '';

async function call(role: Role, method: string, path: string, body?: unknown, actingUserId?: string) {
  const token = await mintToken(secret, { sub: `demo-${role}`, roles: [role] });
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(actingUserId ? { 'x-acting-user-id': actingUserId } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, any>;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

function randomDigits(length: number): string {
  let s = String(1 + Math.floor(Math.random() * 9));
  while (s.length < length) s += String(Math.floor(Math.random() * 10));
  return s;
}

async function main() {
  const config = loadConfig();
  secret = config.authJwtSecret ?? (await localSecret(config.dataDir, 'auth-jwt')).value;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  // Dates follow today, so the scenario stays valid whenever it runs: starts on the first day of the current
  // contract period, and a transfer six weeks from now.
  const today = isoDate(new Date());
  const current = ContractPeriodCalendar.standard(config.lastContractPeriod).containing(today);
  if (!current) throw new Error(`No contract period is configured for ${today} (LAST_CONTRACT_PERIOD)`);
  const period = current.year;
  const startDate = current.startDate;
  const transferDate = isoDate(new Date(Date.now() + 42 * 24 * 3600 * 1000));
  const [oak, elm] = [randomDigits(6), randomDigits(6)];
  say(`Scenario against ${base}: schools ${oak} (Oak Hill Primary) and ${elm} (Elm Park Academy)`);
  for (const [urn, name] of [[oak, 'Oak Hill Primary'], [elm, 'Elm Park Academy']]) {
    await call('reference-data', 'PUT', `/v1/schools/${urn}`, { name, status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: `office@${urn}.example.org` });
    await call('partnerships', 'PUT', `/v1/schools/${urn}/partnerships/${period}`, { leadProviderId: 'ambition-institute', deliveryPartnerId: 'north-teaching-hub' });
  }
  const users = ['Priya Shah', 'Tom Baker', 'Grace Okafor'].map((full) => {
    const [firstName, lastName] = full.split(' ');
    return { userId: randomUUID(), email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${oak}.example.org`, firstName, lastName };
  });
  for (const user of users) await call('identity-sync', 'POST', `/v1/schools/${oak}/users`, user);
  say(`Linked three users to ${oak}: ${users.map((u) => `${u.firstName} ${u.lastName}`).join(', ')}`);
  const elmUser = { userId: randomUUID(), email: `head@${elm}.example.org`, firstName: 'Sam', lastName: 'Reed' };
  await call('identity-sync', 'POST', `/v1/schools/${elm}/users`, elmUser);

  await call('school-commands', 'PUT', `/v1/schools/${oak}/induction-tutor`, { name: 'Helen Marsh', email: `helen.marsh@${oak}.example.org`, contractPeriod: period }, users[0].userId);
  say('Priya nominated Helen Marsh as induction tutor (Helen has no account: the tutor need not be a user)');

  const [ect1, ect2, mentorTrn] = [randomDigits(7), randomDigits(7), randomDigits(7)];
  const ect = (trn: string, firstName: string, lastName: string) => ({
    trn, firstName, lastName, email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}.${trn}@example.org`, startDate,
    workingPattern: 'full_time', trainingProgramme: 'provider_led', leadProviderId: 'ambition-institute', appropriateBodyId: 'teaching-school-hub-1', inductionStatus: 'InProgress',
  });
  await call('school-commands', 'POST', `/v1/schools/${oak}/ects`, ect(ect1, 'Aisha', 'Khan'), users[0].userId);
  await call('school-commands', 'POST', `/v1/schools/${oak}/ects`, ect(ect2, 'Ben', 'Carter'), users[1].userId);
  say('Priya registered ECT Aisha Khan; Tom registered ECT Ben Carter');
  const mentor = { trn: mentorTrn, firstName: 'Rosa', lastName: 'Lind', email: `rosa.lind.${mentorTrn}@example.org`, startDate };
  await call('school-commands', 'POST', `/v1/schools/${oak}/mentors`, mentor, users[1].userId);
  await call('school-commands', 'POST', `/v1/schools/${elm}/mentors`, mentor, elmUser.userId);
  say('Rosa Lind is registered as a mentor at both schools');
  await call('school-commands', 'PUT', `/v1/schools/${oak}/ects/${ect1}/mentor`, { mentorTrn }, users[1].userId);
  say('Tom assigned Rosa to mentor Aisha');

  await call('identity-sync', 'DELETE', `/v1/schools/${oak}/users/${users[2].userId}`);
  say('Grace Okafor left the school: her account was unlinked');

  const transfer = await call('school-commands', 'POST', `/v1/schools/${elm}/ects`, { ...ect(ect2, 'Ben', 'Carter'), startDate: transferDate }, elmUser.userId);
  say(`Ben Carter transfers to ${elm} from ${transferDate}: his registration at ${oak} ends on ${dayBefore(transferDate)}`);

  const overview = await call('reader', 'GET', `/v1/schools/${oak}?after=${transfer.position}`);
  say('');
  say(`School overview of ${overview.name} (${overview.urn}), eligible: ${overview.eligible}`);
  say(`  Induction tutor: ${overview.inductionTutor ? `${overview.inductionTutor.name} <${overview.inductionTutor.email}> (${overview.inductionTutor.contractPeriod})` : 'none'}`);
  say(`  Users: ${overview.users.map((u: any) => `${u.firstName} ${u.lastName}`).join(', ')}`);
  say(`  Partnerships: ${overview.partnerships.map((p: any) => `${p.contractPeriod} ${p.leadProviderId} with ${p.deliveryPartnerId}`).join('; ')}`);
  say(`  ECTs (${overview.ects.total}):`);
  for (const e of overview.ects.items) {
    say(`    ${e.firstName} ${e.lastName} (${e.trn}) ${e.status}${e.leavingOn ? ` until ${e.leavingOn}` : ''}, from ${e.startDate}, ${e.trainingProgramme} with ${e.leadProviderId ?? '-'}, mentor ${e.mentor?.name ?? 'none'}, registered by ${e.registeredBy.name}`);
  }
  say(`  Mentors (${overview.mentors.total}):`);
  for (const m of overview.mentors.items) {
    say(`    ${m.firstName} ${m.lastName} (${m.trn}) ${m.status}, mentoring ${m.ects.map((e: any) => e.name).join(', ') || 'nobody'}, registered by ${m.registeredBy.name}`);
  }
}

main().catch((error) => {
  process.stderr.write(`Demo failed: ${error?.message ?? error}\n(Is the service running? Start it with npm start in another terminal, from this folder.)\n`);
  process.exit(1);
});
