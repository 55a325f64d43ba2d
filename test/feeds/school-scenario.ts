import { randomUUID } from 'node:crypto';
import type { TestApi } from '../support/api';

export interface SchoolUser {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** Drives the real HTTP API the way the services around it would; every write must succeed. */
export class SchoolScenario {
  private urn = 300000 + Math.floor(Math.random() * 600000);
  private trn = 2000000 + Math.floor(Math.random() * 7000000);
  /** Position of the last write (for ?after=). */
  position = '0';

  constructor(private readonly api: TestApi) {}

  newTrn(): string {
    return String(this.trn++);
  }

  private async write(method: 'POST' | 'PUT' | 'DELETE', url: string, role: string, body?: unknown, actingUser?: SchoolUser): Promise<void> {
    const headers = actingUser ? { 'x-acting-user-id': actingUser.userId } : undefined;
    const response = await this.api.request(method, url, { role: role as never, body, headers });
    if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
    if (response.body?.position) this.position = response.body.position;
  }

  async school(name = 'Oak Hill Primary', contacts: { primaryContactEmail?: string | null; secondaryContactEmail?: string | null } = {}): Promise<string> {
    const urn = String(this.urn++);
    await this.write('PUT', `/v1/schools/${urn}`, 'reference-data', {
      name: `${name} ${urn}`, status: 'open', inEngland: true, eligibleType: true, section41Approved: false,
      primaryContactEmail: `office-${urn}@school.example.org`, ...contacts,
    });
    return urn;
  }

  async details(urn: string, name: string): Promise<void> {
    await this.write('PUT', `/v1/schools/${urn}`, 'reference-data', { name, status: 'open', inEngland: true, eligibleType: true, section41Approved: false, primaryContactEmail: `office-${urn}@school.example.org` });
  }

  async link(urn: string, firstName: string): Promise<SchoolUser> {
    const user = { userId: randomUUID(), email: `${firstName.toLowerCase()}-${randomUUID().slice(0, 6)}@school.example.org`, firstName, lastName: 'User' };
    await this.write('POST', `/v1/schools/${urn}/users`, 'identity-sync', user);
    return user;
  }

  async unlink(urn: string, user: SchoolUser): Promise<void> {
    await this.write('DELETE', `/v1/schools/${urn}/users/${user.userId}`, 'identity-sync');
  }

  async tutor(urn: string, actingUser: SchoolUser, name: string): Promise<string> {
    const email = `${name.split(' ')[0].toLowerCase()}-${urn}@school.example.org`;
    await this.write('PUT', `/v1/schools/${urn}/induction-tutor`, 'school-commands', { name, email, contractPeriod: 2026 }, actingUser);
    return email;
  }

  async partner(urn: string, leadProviderId: string, contractPeriod = 2026): Promise<void> {
    await this.write('PUT', `/v1/schools/${urn}/partnerships/${contractPeriod}`, 'partnerships', { leadProviderId, deliveryPartnerId: 'dp-1' });
  }

  async endPartnership(urn: string, contractPeriod = 2026): Promise<void> {
    await this.write('DELETE', `/v1/schools/${urn}/partnerships/${contractPeriod}`, 'partnerships');
  }

  async ect(urn: string, actingUser: SchoolUser, trn = this.newTrn(), startDate = '2026-09-01'): Promise<string> {
    await this.write('POST', `/v1/schools/${urn}/ects`, 'school-commands', {
      trn, firstName: 'Ed', lastName: `Ect${trn}`, email: `ect-${trn}@example.org`, startDate, workingPattern: 'full_time',
      trainingProgramme: 'provider_led', leadProviderId: 'lp-any', appropriateBodyId: 'ab-1', inductionStatus: 'InProgress',
    }, actingUser);
    return trn;
  }

  async mentor(urn: string, actingUser: SchoolUser, trn = this.newTrn()): Promise<string> {
    await this.write('POST', `/v1/schools/${urn}/mentors`, 'school-commands', { trn, firstName: 'Mia', lastName: `Mentor${trn}`, email: `mentor-${trn}@example.org`, startDate: '2026-09-01' }, actingUser);
    return trn;
  }

  async ectLeaving(urn: string, actingUser: SchoolUser, trn: string, leavingOn: string): Promise<void> {
    await this.write('POST', `/v1/schools/${urn}/ects/${trn}/leaving`, 'school-commands', { leavingOn }, actingUser);
  }
}
