// The options page: the app-registration guide and the editor of exactly the contract's `settings` object.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ACCESS_CHECK_SCOPES, CLOUDS, CLOUD_IDS, READ_SCOPES, WRITE_SCOPES } from '../core/clouds';
import type { Cloud, Settings } from '../core/model';
import { DEFAULT_SETTINGS, validateSettings } from '../core/settings';
import { BROWSER_LABELS, REDIRECT_URIS, type BrowserFamily } from '../core/redirect-uris';

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
      setStatus('Not saved: fix the fields marked above.');
      return;
    }
    try {
      await browser.storage.local.set({ settings });
      setStatus('Saved. Reload the portal page to sign in with these settings.');
    } catch (err) {
      setStatus(`Not saved: ${String(err)}`);
    }
  }

  const lockedNote = (k: keyof Settings) =>
    managed[k] !== undefined ? <span class="locked"> (set by your organisation's policy: {String(managed[k])})</span> : null;
  const cloud = (CLOUD_IDS.includes(form.cloud as Cloud) ? form.cloud : 'global') as Cloud;
  const graphHost = CLOUDS[cloud].graphRoot;

  return (
    <>
      <h1>Entra Assignments Overlay</h1>
      <p>
        The overlay signs you in with <strong>your own</strong> app registration and reads access package assignments
        from Microsoft Graph. Nothing is sent anywhere else.
      </p>
      <h2>1. Register the app (once per tenant and cloud)</h2>
      <ol>
        <li>In the Microsoft Entra admin center open <em>Identity › Applications › App registrations › New registration</em>.</li>
        <li>Name it (for example "Assignments Overlay"); supported account types: <em>this organizational directory only</em>.</li>
        <li>
          Redirect URI: platform <strong>Single-page application (SPA)</strong>, value{' '}
          <code data-testid="redirect-uri">{redirectUri}</code>. Chrome/Edge and Firefox have different redirect
          URIs: to use the overlay in both, register both (a store-installed Chrome/Edge build has its own id: use the
          value above in that browser).
          <ul>
            {(Object.keys(REDIRECT_URIS) as BrowserFamily[]).map((b) => (
              <li key={b}>
                {BROWSER_LABELS[b]}: <code data-testid={`redirect-uri-${b}`}>{REDIRECT_URIS[b]}</code>
              </li>
            ))}
          </ul>
        </li>
        <li>
          <em>API permissions › Add › Microsoft Graph › Delegated</em>: {READ_SCOPES.map((s) => <code key={s}>{s}</code>).reduce<unknown[]>((a, c) => (a.length ? [...a, ', ', c] : [c]), [])}
          {' '}to view, and <code>{WRITE_SCOPES[0]}</code> to remove or add assignments. Grant admin consent.
          Sign-in data needs Microsoft Entra ID P1 or P2. The access check also asks, when it first runs, for{' '}
          {ACCESS_CHECK_SCOPES.map((s) => <code key={s}>{s}</code>).reduce<unknown[]>((a, c) => (a.length ? [...a, ', ', c] : [c]), [])}
          {' '}(who holds the package's groups and application roles).
        </li>
        <li>Copy the <em>Application (client) ID</em> and the <em>Directory (tenant) ID</em> from the Overview page into the form below.</li>
      </ol>
      <h2>2. Settings</h2>
      <form onSubmit={save} noValidate>
        <label>
          Application (client) ID{lockedNote('clientId')}
          <input name="clientId" value={form.clientId} onInput={field('clientId')} placeholder="00000000-0000-0000-0000-000000000000"
            aria-invalid={errors.clientId ? 'true' : 'false'} disabled={managed.clientId !== undefined} />
          {errors.clientId && <span class="error">{errors.clientId}</span>}
        </label>
        <label>
          Tenant{lockedNote('tenantId')}
          <small>Directory (tenant) ID, a verified domain such as contoso.com, or "organizations".</small>
          <input name="tenantId" value={form.tenantId} onInput={field('tenantId')}
            aria-invalid={errors.tenantId ? 'true' : 'false'} disabled={managed.tenantId !== undefined} />
          {errors.tenantId && <span class="error">{errors.tenantId}</span>}
        </label>
        <label>
          Cloud{lockedNote('cloud')}
          <select name="cloud" value={form.cloud} onChange={field('cloud')} disabled={managed.cloud !== undefined}>
            {CLOUD_IDS.map((c) => <option key={c} value={c}>{CLOUD_LABELS[c]}</option>)}
          </select>
          <small>Signs in at {CLOUDS[cloud].authorityHost}, reads {graphHost}.</small>
        </label>
        <label>
          Stale after (days){lockedNote('staleAfterDays')}
          <small>Users with no successful sign-in for longer than this are highlighted as stale.</small>
          <input name="staleAfterDays" type="number" min={1} max={3650} value={form.staleAfterDays} onInput={field('staleAfterDays')}
            aria-invalid={errors.staleAfterDays ? 'true' : 'false'} disabled={managed.staleAfterDays !== undefined} />
          {errors.staleAfterDays && <span class="error">{errors.staleAfterDays}</span>}
        </label>
        <button type="submit" data-testid="save-settings">Save</button>
        <p class="status" role="status" data-testid="settings-status">{status}</p>
      </form>
    </>
  );
}

render(<Options />, document.getElementById('app')!);
