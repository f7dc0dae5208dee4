// Hostile data: markup, formula prefixes, RTL, emoji, long strings, control characters, missing subjects,
// unknown enum values, null fields, invalid dates and repeated ids, spread over the main package.
import type { Builder } from './people';
import type { Assignment, TenantData } from './types';


const HOSTILE_NAMES = [
  '<img src=x onerror="alert(\'xss\')">',
  "=cmd|' /C calc'!A0",
  '+SUM(1)',
  '-2+3',
  '@x',
  '\u202Egnp.exe\u202C مستخدم עברית',
  '👩‍💻 Dev Ops 🚀🇺🇦',
  'Tab\tName\r\nNew\u0000Null\u0007Bell\u001b[31mRed',
  '\tTabbed start',
  '\rCarriage start',
  '"Quoted, with comma"; and semicolon',
  '</script><script>alert(1)</script>',
];

export function applyHostile(b: Builder, data: TenantData, main: Assignment[]): void {
  const r = b.rng;
  const n = main.length;
  if (n === 0) return;
  const count = Math.min(n, Math.max(16, Math.round(n * 0.1)));
  const step = n / count;
  for (let k = 0; k < count; k++) {
    const i = Math.floor(k * step);
    const a = main[i];
    data.targetKinds.set(a.id, 'hostile');
    const t = a.target;
    const user = t?.objectId ? data.users.get(t.objectId) : undefined;
    const rename = (name: string | null, email?: string | null) => {
      if (t) {
        t.displayName = name;
        if (email !== undefined) t.email = email;
      }
      if (user) {
        user.displayName = name;
        if (email !== undefined) user.mail = email;
      }
    };
    switch (k % 14) {
      case 0:
        rename(HOSTILE_NAMES[0], '"><svg onload=alert(1)>@contoso.com');
        if (t) t.principalName = '<b>bold</b>@contoso.com';
        break;
      case 1:
        rename(HOSTILE_NAMES[1], '+SUM(1)@fabrikam.com');
        if (t) t.principalName = '-2+3@contoso.com';
        break;
      case 2:
        rename(r.pick([HOSTILE_NAMES[3], HOSTILE_NAMES[4], HOSTILE_NAMES[8], HOSTILE_NAMES[9]]));
        a.status = '=HYPERLINK("http://evil.example","click")';
        break;
      case 3:
        rename(HOSTILE_NAMES[5], 'مستخدم@contoso.com');
        break;
      case 4:
        rename(HOSTILE_NAMES[6], '🚀rocket@contoso.com');
        break;
      case 5:
        rename('A'.repeat(3000) + ' very long name', 'l'.repeat(300) + '@contoso.com');
        break;
      case 6:
        rename(HOSTILE_NAMES[7], 'ctrl\u0001char@contoso.com');
        break;
      case 7:
        // a subject that is not (or no longer) linked to a directory object, although delivered
        if (t) t.objectId = null;
        break;
      case 8:
        // no subject at all
        a.target = null;
        break;
      case 9:
        a.state = 'someFutureState';
        a.status = 'Ω weird status';
        if (t) t.subjectType = 'unknownFutureValue';
        break;
      case 10:
        a.status = null;
        a.schedule = null;
        rename(null, null);
        if (t) t.principalName = null;
        break;
      case 11:
        if (a.schedule) {
          a.schedule.startDateTime = 'not-a-date';
          a.schedule.expiration = { endDateTime: r.chance(0.5) ? '0001-01-01T00:00:00Z' : '9999-12-31T23:59:59.9999999Z', duration: null, type: 'afterDateTime' };
        }
        if (user) {
          user.createdDateTime = 'yesterday';
          user.signInActivity = b.signIn('garbage', null, null);
        }
        break;
      case 12: {
        // the same id on another row far away (a different page): Graph has been seen to repeat rows
        const j = (i + Math.floor(n / 2)) % n;
        if (j !== i) a.id = main[j].id;
        break;
      }
      default:
        rename(HOSTILE_NAMES[10 + (k % 2)]);
    }
  }
}
