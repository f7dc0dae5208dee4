// Seeded people: directory users shaped for the stale rule (recent, inactive, never signed in, guests...).
import { DAY_MS, isoSeconds } from './dates';
import { DOMAIN } from './ids';
import { Rng } from './random';
import type { DirUser, SignInActivity, Subject, TargetKind, TenantData } from './types';


export const FIRST = [
  'Adele', 'Alex', 'Allan', 'Ana', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Dana', 'Diego', 'Elif', 'Emily',
  'Farah', 'Felix', 'Grace', 'Hana', 'Henrik', 'Isaiah', 'Ivana', 'Jamal', 'Johanna', 'Joni', 'Kenji',
  'Lara', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Nia', 'Omar', 'Patti', 'Pradeep', 'Quinn',
  'Raul', 'Rosa', 'Sakura', 'Sven', 'Tariq', 'Tomás', 'Uma', 'Valentina', 'Wei', 'Xavier', 'Yara', 'Zoe',
];
export const LAST = [
  'Abebe', 'Adams', 'Bauer', 'Brown', 'Castillo', 'Chowdhury', 'Dubois', 'Eriksen', 'Fernandes', 'Garcia',
  'Gupta', 'Hansen', 'Ito', 'Jensen', 'Kim', 'Kowalski', 'Larsen', 'Lopez', 'Müller', 'Nakamura', 'Nguyen',
  'Novak', "O'Brien", 'Okafor', 'Patel', 'Petrov', 'Quispe', 'Rossi', 'Santos', 'Schmidt', 'Silva',
  'Sorensen', 'Tanaka', 'Thompson', 'Ueda', 'Vargas', 'Wagner', 'Wang', 'Yilmaz', 'Zhang',
];
const JOBS = ['Account Executive', 'Sales Manager', 'Marketing Specialist', 'Analyst', 'Engineer', 'Consultant', null];
const DEPTS = ['Sales', 'Marketing', 'Finance', 'Research', 'Operations', null];
export const APPS = ['Contoso CRM Connector', 'Sales Data Sync', 'Reporting Robot', 'Lead Scoring Service'];

const ASCII = new Map<string, string>();
/** Name as it appears in a mail address: "Tomás" → "tomas", "O'Brien" → "obrien" (memoised: hot in 100k tenants). */
export function ascii(s: string): string {
  let v = ASCII.get(s);
  if (v === undefined) {
    v = s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
    ASCII.set(s, v);
  }
  return v;
}

// ------------------------------------------------------------------------------------------ builder

export interface Person {
  user: DirUser;
  subject: Subject;
  kind: TargetKind;
}

export class Builder {
  readonly rng: Rng;
  readonly now: number;
  private serial = 0;

  constructor(seed: number, now: number) {
    this.rng = new Rng(seed);
    this.now = now;
  }

  /** ISO date `days` ago, with a random time of day. */
  ago(minDays: number, maxDays: number): string {
    const ms = this.now - this.rng.int(minDays, maxDays) * DAY_MS - this.rng.int(0, DAY_MS / 1000 - 1) * 1000;
    return isoSeconds(ms);
  }

  /** Sign-in request ids mean nothing to the product: a seeded pool keeps 100k-user tenants light. */
  private readonly reqIds: string[] = [];
  reqId(): string {
    if (this.reqIds.length < 512) {
      const id = this.rng.guid();
      this.reqIds.push(id);
      return id;
    }
    return this.reqIds[this.rng.u32() & 511];
  }

  signIn(success: string | null, interactive: string | null, nonInteractive: string | null): SignInActivity {
    return {
      lastSignInDateTime: interactive,
      lastSignInRequestId: interactive ? this.reqId() : null,
      lastNonInteractiveSignInDateTime: nonInteractive,
      lastNonInteractiveSignInRequestId: nonInteractive ? this.reqId() : null,
      lastSuccessfulSignInDateTime: success,
      lastSuccessfulSignInRequestId: success ? this.reqId() : null,
    };
  }

  /** A never-signed-in user: Graph gives either no signInActivity or one with only nulls. */
  noSignIn(): SignInActivity | null {
    return this.rng.chance(0.5) ? null : this.signIn(null, null, null);
  }

  person(kind: TargetKind, orgDomain?: string, orgId?: string): Person {
    const r = this.rng;
    const n = ++this.serial;
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const guest = kind.startsWith('guest') || orgDomain !== undefined;
    const local = `${ascii(first)}.${ascii(last)}${n}`;
    const extDomain = orgDomain ?? r.pick(['fabrikam.com', 'northwindtraders.com', 'gmail.com', 'outlook.com']);
    const mail = guest ? `${local}@${extDomain}` : `${local}@${DOMAIN}`;
    const upn = guest ? `${local}_${extDomain}#EXT#@${DOMAIN}` : mail;
    const recent = () => this.ago(0, 60);
    const old = () => this.ago(100, 900);
    let created: string | null = this.ago(120, 2400);
    let signIn: SignInActivity | null;
    let enabled = true;
    let external: string | null = guest ? 'Accepted' : null;
    switch (kind) {
      case 'member-recent':
      case 'guest-accepted': {
        const s = recent();
        signIn = this.signIn(s, r.chance(0.8) ? s : null, r.chance(0.7) ? this.ago(0, 20) : null);
        break;
      }
      case 'member-inactive':
      case 'guest-inactive':
        // Half of them failed an interactive sign-in recently: the successful date still rules.
        signIn = this.signIn(old(), r.chance(0.5) ? recent() : null, r.chance(0.3) ? old() : null);
        break;
      case 'never-signed-in':
        signIn = this.noSignIn();
        break;
      case 'never-signed-in-new':
        created = this.ago(2, 40);
        signIn = this.noSignIn();
        break;
      case 'interactive-only-recent':
        signIn = this.signIn(null, recent(), null);
        break;
      case 'interactive-only-old':
        signIn = this.signIn(null, old(), null);
        break;
      case 'noninteractive-only':
        signIn = this.signIn(null, null, this.ago(0, 30));
        break;
      case 'no-created-date':
        created = null;
        signIn = this.noSignIn();
        break;
      case 'no-created-date-active':
        created = null;
        signIn = this.signIn(recent(), null, null);
        break;
      case 'disabled':
        enabled = false;
        signIn = r.chance(0.5) ? this.signIn(old(), null, null) : this.signIn(recent(), null, null);
        break;
      case 'guest-pending':
        created = this.ago(100, 700);
        external = 'PendingAcceptance';
        signIn = this.noSignIn();
        break;
      case 'guest-pending-new':
        created = this.ago(1, 30);
        external = 'PendingAcceptance';
        signIn = this.noSignIn();
        break;
      default:
        signIn = this.signIn(recent(), null, null);
    }
    const displayName = guest && r.chance(0.1) ? `${first} ${last} (${extDomain})` : `${first} ${last}`;
    const user: DirUser = {
      id: r.guid(),
      displayName,
      userPrincipalName: upn,
      mail,
      givenName: first,
      surname: last,
      jobTitle: r.pick(JOBS),
      department: guest ? null : r.pick(DEPTS),
      companyName: guest ? extDomain : 'Contoso',
      userType: guest ? 'Guest' : 'Member',
      accountEnabled: enabled,
      createdDateTime: created,
      externalUserState: external,
      externalUserStateChangeDateTime: external && created ? created : null,
      signInActivity: signIn,
    };
    return { user, subject: this.subjectFor(user, orgId ?? null), kind };
  }

  subjectFor(user: DirUser, orgId: string | null): Subject {
    return {
      id: this.rng.guid(),
      objectId: user.id,
      displayName: user.displayName,
      email: user.mail,
      principalName: user.userPrincipalName,
      onPremisesSecurityIdentifier: null,
      subjectType: 'user',
      connectedOrganizationId: orgId,
    };
  }
}

export function adminSubject(data: TenantData): Subject {
  const u = data.users.get(data.adminId)!;
  return {
    id: 'a0000000-0000-4000-8000-0000000000ad',
    objectId: u.id,
    displayName: u.displayName,
    email: u.mail,
    principalName: u.userPrincipalName,
    onPremisesSecurityIdentifier: null,
    subjectType: 'user',
    connectedOrganizationId: null,
  };
}
