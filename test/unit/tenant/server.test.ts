import { execSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { ALL_HOSTS, IDS, startTenant, type Tenant } from '../../tenant';

let t: Tenant;
beforeAll(async () => {
  t = await startTenant({ size: 10, seed: 2, hostile: true });
});
afterAll(() => t.close());

/** Opens an HTTP CONNECT tunnel through the tenant's port and sends one HTTPS request inside it. */
function viaProxy(host: string, path: string, headers: Record<string, string> = {}): Promise<{ connectStatus: number; response?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: t.port, method: 'CONNECT', path: `${host}:443` });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        resolve({ connectStatus: res.statusCode ?? 0 });
        return;
      }
      const tls = tlsConnect({ socket, servername: host, ca: t.certPem }, () => {
        const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
        tls.write(lines.join('\r\n'));
      });
      let data = '';
      tls.on('data', (c: Buffer) => (data += c.toString('utf8')));
      tls.on('end', () => resolve({ connectStatus: 200, response: data }));
      tls.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS certificate', () => {
  it('names every mapped host and its SPKI pin matches what openssl computes', () => {
    const x = new X509Certificate(t.certPem);
    for (const h of ALL_HOSTS) expect(x.checkHost(h)).toBe(h);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const pin = execSync('openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64', { input: t.certPem }).toString().trim();
    expect(t.spki).toBe(pin);
  });

  it('gives host-resolver rules for every host', () => {
    expect(t.hostResolverRules).toContain(`MAP graph.microsoft.com 127.0.0.1:${t.port}`);
    expect(t.hostResolverRules).toContain(`MAP portal.azure.cn 127.0.0.1:${t.port}`);
    expect(t.hostResolverRules.endsWith('EXCLUDE localhost')).toBe(true);
    expect(t.hostResolverRules.split(', ')).toHaveLength(ALL_HOSTS.length + 1);
  });
});

describe('CONNECT proxy (Firefox)', () => {
  it('tunnels a mapped host into the TLS server', async () => {
    const token = t.mintAccessToken();
    const r = await viaProxy('graph.microsoft.com', '/v1.0/me', { Authorization: `Bearer ${token}` });
    expect(r.connectStatus).toBe(200);
    expect(r.response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(r.response).toContain(t.data.adminId);
    expect(t.log.some((e) => e.method === 'CONNECT' && e.host === 'graph.microsoft.com' && e.status === 200)).toBe(true);
  });

  it('refuses other hosts with 403', async () => {
    expect((await viaProxy('example.com', '/')).connectStatus).toBe(403);
  });

  it('refuses plain HTTP requests', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: t.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(400);
  });
});

describe('stand-in portal', () => {
  it('serves the page under a strict CSP whose nonce is the only way to run inline code', async () => {
    const res = await t.request(t.portalUrl());
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(csp).toBe(`default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'`);
    const tags = res.body.match(/<(script|style)\b[^>]*>/g)!;
    expect(tags.length).toBeGreaterThanOrEqual(3);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.body).not.toMatch(/\sstyle="/);
    expect(res.body).not.toMatch(/\son[a-z]+="/);
    const again = await t.request(t.portalUrl());
    expect(again.headers['content-security-policy']).not.toBe(csp);
  });

  it('links the packages and the non-package routes, with hostile names escaped', async () => {
    const body = (await t.request('https://portal.azure.com/')).body;
    expect(body).toContain(`#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/assignments/entitlementId/${IDS.mainPackage}/catalogId/${IDS.mainCatalog}`);
    expect(body).toContain('#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlement');
    expect(body).toContain('href="#home"');
    expect(body).toContain('Sales &lt;b&gt;&quot;Q3&quot;&lt;/b&gt;');
    expect(body).not.toContain('<b>"Q3"</b>');
  });

  it('answers 404 for the favicon and 421 for hosts it does not play', async () => {
    expect((await t.request('https://entra.microsoft.com/favicon.ico')).status).toBe(404);
    const other = await t.request(`https://entra.microsoft.com/`, { headers: { host: 'example.com' } });
    expect(other.status).toBe(421);
  });
});
