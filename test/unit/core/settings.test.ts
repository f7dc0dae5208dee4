import { DEFAULT_SETTINGS, effectiveSettings, managedFields, validateSettings } from '../../../src/core/settings';

const CLIENT = '11111111-2222-4333-8444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

describe('DEFAULT_SETTINGS', () => {
  it('matches the contract defaults', () => {
    expect(DEFAULT_SETTINGS).toEqual({ clientId: '', tenantId: 'organizations', cloud: 'global', staleAfterDays: 90 });
  });
});

describe('validateSettings', () => {
  it('accepts a complete valid object', () => {
    const input = { clientId: CLIENT, tenantId: TENANT, cloud: 'usgov', staleAfterDays: 30 };
    expect(validateSettings(input)).toEqual({ settings: input, errors: {} });
  });

  it('normalises: trims, lower-cases GUIDs and domains', () => {
    const { settings, errors } = validateSettings({ clientId: `  ${CLIENT.toUpperCase()} `, tenantId: ' Contoso.OnMicrosoft.com ' });
    expect(errors).toEqual({});
    expect(settings.clientId).toBe(CLIENT);
    expect(settings.tenantId).toBe('contoso.onmicrosoft.com');
  });

  it.each([TENANT, 'organizations', 'Organizations', 'contoso.com', 'sub.contoso.co.uk', 'xn--bcher-kva.example', 'a-b.io'])(
    'accepts tenant %s',
    (tenantId) => expect(validateSettings({ clientId: CLIENT, tenantId }).errors).toEqual({}),
  );

  it.each(['common', 'consumers', 'contoso', '-contoso.com', 'contoso-.com', 'contoso..com', 'https://contoso.com', 'a b.com', '', 5, 'contoso.c0m'])(
    'rejects tenant %j',
    (tenantId) => {
      const { settings, errors } = validateSettings({ clientId: CLIENT, tenantId });
      expect(errors.tenantId).toBeDefined();
      expect(settings.tenantId).toBe('organizations');
    },
  );

  it('explains why common is refused', () => {
    expect(validateSettings({ clientId: CLIENT, tenantId: 'common' }).errors.tenantId).toMatch(/organizations/);
  });

  it('requires a GUID client id', () => {
    expect(validateSettings({}).errors.clientId).toMatch(/client\) ID/);
    expect(validateSettings({ clientId: 'my-app' }).errors.clientId).toMatch(/GUID/);
    expect(validateSettings({ clientId: `${CLIENT}0` }).errors.clientId).toBeDefined();
  });

  it.each([0, 3651, 1.5, '90', NaN, null, -1])('rejects staleAfterDays %j and falls back to 90', (staleAfterDays) => {
    const { settings, errors } = validateSettings({ clientId: CLIENT, staleAfterDays });
    expect(errors.staleAfterDays).toBeDefined();
    expect(settings.staleAfterDays).toBe(90);
  });

  it('accepts staleAfterDays 1 and 3650', () => {
    expect(validateSettings({ clientId: CLIENT, staleAfterDays: 1 }).settings.staleAfterDays).toBe(1);
    expect(validateSettings({ clientId: CLIENT, staleAfterDays: 3650 }).settings.staleAfterDays).toBe(3650);
  });

  it('accepts exactly the four clouds', () => {
    for (const cloud of ['global', 'usgov', 'usgovdod', 'china']) expect(validateSettings({ clientId: CLIENT, cloud }).errors).toEqual({});
    expect(validateSettings({ clientId: CLIENT, cloud: 'Global' }).errors.cloud).toBeDefined();
    expect(validateSettings({ clientId: CLIENT, cloud: 'germany' }).settings.cloud).toBe('global');
  });

  it('treats garbage as "nothing stored" without throwing', () => {
    for (const v of [null, undefined, 'x', 42, [], [CLIENT]]) {
      const { settings, errors } = validateSettings(v);
      expect(settings).toEqual(DEFAULT_SETTINGS);
      expect(Object.keys(errors)).toEqual(['clientId']);
    }
  });

  it('does not return the frozen defaults object', () => {
    const { settings } = validateSettings({});
    settings.staleAfterDays = 5;
    expect(DEFAULT_SETTINGS.staleAfterDays).toBe(90);
  });
});

describe('effectiveSettings', () => {
  const local = { clientId: CLIENT, tenantId: 'contoso.com', cloud: 'global', staleAfterDays: 60 };

  it('uses local settings when nothing is managed', () => {
    expect(effectiveSettings(local, undefined)).toEqual(local);
    expect(effectiveSettings(local, {})).toEqual(local);
  });

  it('lets valid managed fields override, ignores invalid ones', () => {
    const managed = { tenantId: TENANT, staleAfterDays: 99999, cloud: 'china', clientId: 'bad' };
    expect(effectiveSettings(local, managed)).toEqual({ clientId: CLIENT, tenantId: TENANT, cloud: 'china', staleAfterDays: 60 });
    expect(managedFields(managed)).toEqual(['tenantId', 'cloud']);
  });

  it('managed settings alone configure the extension', () => {
    expect(effectiveSettings(undefined, { clientId: CLIENT, staleAfterDays: 14 })).toEqual({
      ...DEFAULT_SETTINGS,
      clientId: CLIENT,
      staleAfterDays: 14,
    });
  });
});
