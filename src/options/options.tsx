// The options page: the app-registration guide and the editor of exactly the contract's `settings` object.
import { Fragment, render, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ACCESS_CHECK_SCOPES, CLOUDS, CLOUD_IDS, READ_SCOPES, WRITE_SCOPES } from '../core/clouds';
import type { Cloud, Settings } from '../core/model';
import { DEFAULT_SETTINGS, validateSettings } from '../core/settings';
import { BROWSER_LABELS, REDIRECT_URIS, type BrowserFamily } from '../core/redirect-uris';
import { t, tSlots } from '../panel/i18n';

type Errors = Partial<Record<keyof Settings, string>>;

const CLOUD_LABELS: Record<Cloud, string> = {
  global: 'Global (Microsoft Entra ID)',
  usgov: 'US Government (GCC High, L4)',
  usgovdod: 'US Government DoD (L5)',
  china: 'China (21Vianet)',
};

function Options() {
  const [form, setForm] = useState<Record<keyof Settings, string>>({
    clientId: '',
    tenantId: DEFAULT_SETTINGS.tenantId,
    cloud: DEFAULT_SETTINGS.cloud,
    staleAfterDays: String(DEFAULT_SETTINGS.staleAfterDays),
  });
  const [managed, setManaged] = useState<Partial<Settings>>({});
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState('');
  const redirectUri = browser.identity.getRedirectURL();

  useEffect(() => {
    void (async () => {
      const local = (await browser.storage.local.get('settings')).settings as Partial<Settings> | undefined;
      const m = (await browser.storage.managed.get().catch(() => ({}))) as Partial<Settings>;
      setManaged(m);
      const s = { ...DEFAULT_SETTINGS, ...(local ?? {}) };
      setForm({ clientId: s.clientId, tenantId: s.tenantId, cloud: s.cloud, staleAfterDays: String(s.staleAfterDays) });
    })();
  }, []);

  const field = (k: keyof Settings) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });

  async function save(e: Event) {
    e.preventDefault();
    const { settings, errors: errs } = validateSettings({ ...form, staleAfterDays: Number(form.staleAfterDays) });
    setErrors(errs);
    if (Object.keys(errs).length > 0) {
      setStatus(t('options_status_invalid'));
      return;
    }
    try {
      await browser.storage.local.set({ settings });
      setStatus(t('options_status_saved'));
    } catch (err) {
      setStatus(t('options_status_failed', { reason: String(err) }));
    }
  }

  const lockedNote = (k: keyof Settings) =>
    managed[k] !== undefined ? <span class="locked"> {t('options_locked', { value: String(managed[k]) })}</span> : null;
  const cloud = (CLOUD_IDS.includes(form.cloud as Cloud) ? form.cloud : 'global') as Cloud;
  const graphHost = CLOUDS[cloud].graphRoot;

  return (
    <>
      <h1>{t('extName')}</h1>
      <p>
        <Msg k="options_intro" slots={{ own: <strong>{t('options_intro_own')}</strong> }} />
      </p>
      <h2>{t('options_register_title')}</h2>
      <ol>
        <li>
          <Msg k="options_register_open" slots={{ path: <em>{t('options_register_openPath')}</em> }} />
        </li>
        <li>
          <Msg k="options_register_name" slots={{ types: <em>{t('options_register_nameTypes')}</em> }} />
        </li>
        <li>
          <Msg
            k="options_register_redirect"
            slots={{ platform: <strong>{t('options_register_platform')}</strong>, uri: <code data-testid="redirect-uri">{redirectUri}</code> }}
          />
          <ul>
            {(Object.keys(REDIRECT_URIS) as BrowserFamily[]).map((b) => (
              <li key={b}>
                {BROWSER_LABELS[b]}: <code data-testid={`redirect-uri-${b}`}>{REDIRECT_URIS[b]}</code>
              </li>
            ))}
          </ul>
        </li>
        <li>
          <Msg
            k="options_register_permissions"
            slots={{
              path: <em>{t('options_register_permissionsPath')}</em>,
              read: codes(READ_SCOPES),
              write: <code>{WRITE_SCOPES[0]}</code>,
              access: codes(ACCESS_CHECK_SCOPES),
            }}
          />
        </li>
        <li>
          <Msg
            k="options_register_copy"
            slots={{ client: <em>{t('options_field_clientId')}</em>, tenant: <em>{t('options_register_tenantId')}</em> }}
          />
        </li>
      </ol>
      <h2>{t('options_settings_title')}</h2>
      <form onSubmit={save} noValidate>
        <label>
          {t('options_field_clientId')}
          {lockedNote('clientId')}
          <input name="clientId" value={form.clientId} onInput={field('clientId')} placeholder="00000000-0000-0000-0000-000000000000"
            aria-invalid={errors.clientId ? 'true' : 'false'} disabled={managed.clientId !== undefined} />
          {errors.clientId && <span class="error">{errors.clientId}</span>}
        </label>
        <label>
          {t('options_field_tenant')}
          {lockedNote('tenantId')}
          <small>{t('options_field_tenantHelp')}</small>
          <input name="tenantId" value={form.tenantId} onInput={field('tenantId')}
            aria-invalid={errors.tenantId ? 'true' : 'false'} disabled={managed.tenantId !== undefined} />
          {errors.tenantId && <span class="error">{errors.tenantId}</span>}
        </label>
        <label>
          {t('options_field_cloud')}
          {lockedNote('cloud')}
          <select name="cloud" value={form.cloud} onChange={field('cloud')} disabled={managed.cloud !== undefined}>
            {CLOUD_IDS.map((c) => <option key={c} value={c}>{CLOUD_LABELS[c]}</option>)}
          </select>
          <small>{t('options_field_cloudHelp', { authority: CLOUDS[cloud].authorityHost, graph: graphHost })}</small>
        </label>
        <label>
          {t('options_field_stale')}
          {lockedNote('staleAfterDays')}
          <small>{t('options_field_staleHelp')}</small>
          <input name="staleAfterDays" type="number" min={1} max={3650} value={form.staleAfterDays} onInput={field('staleAfterDays')}
            aria-invalid={errors.staleAfterDays ? 'true' : 'false'} disabled={managed.staleAfterDays !== undefined} />
          {errors.staleAfterDays && <span class="error">{errors.staleAfterDays}</span>}
        </label>
        <button type="submit" data-testid="save-settings">{t('options_save')}</button>
        <p class="status" role="status" data-testid="settings-status">{status}</p>
      </form>
    </>
  );
}

/** A message whose `{name}` slots hold markup (emphasis, code), the rest as text. */
function Msg(props: { k: string; slots: Record<string, ComponentChildren> }): JSX.Element {
  return <>{tSlots(props.k).map((part) => (typeof part === 'string' ? part : props.slots[part.slot]))}</>;
}

/** Permission names as code, comma-separated. */
function codes(list: readonly string[]): ComponentChildren {
  return list.map((s, i) => (
    <Fragment key={s}>
      {i > 0 ? ', ' : ''}
      <code>{s}</code>
    </Fragment>
  ));
}

render(<Options />, document.getElementById('app')!);
