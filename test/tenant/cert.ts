// One self-signed EC P-256 certificate for every hostname the tenant plays, made with the openssl CLI
// and cached under the OS temp dir. Browsers trust it through its key pin (SPKI hash), Node clients
// by passing it as the CA.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_HOSTS } from './hosts';

/** Bump when the certificate's contents change, so old caches are not reused. */
const CERT_VERSION = 'v1';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** base64 SHA-256 of the SubjectPublicKeyInfo: the value for --ignore-certificate-errors-spki-list */
  spki: string;
}

export function spkiPin(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

function usable(pem: string, hosts: readonly string[]): { key: string; cert: string } | null {
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(pem)?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem)?.[0];
  if (!key || !cert) return null;
  try {
    const x = new X509Certificate(cert);
    const names = new Set((x.subjectAltName ?? '').split(/,\s*/).map((s) => s.replace(/^DNS:/, '')));
    if (!hosts.every((h) => names.has(h))) return null;
    if (Date.parse(x.validTo) < Date.now() + 7 * 86_400_000) return null;
    return { key, cert };
  } catch {
    return null;
  }
}

function generate(hosts: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'entra-demo-tenant-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyFile, '-out', certFile, '-days', '365', '-subj', '/CN=Entra demo tenant (test only)',
        '-addext', `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
        '-addext', 'extendedKeyUsage=serverAuth',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return readFileSync(keyFile, 'utf8') + readFileSync(certFile, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The cached certificate, or a new one. Key and certificate live in one file replaced by rename, so
 * parallel test workers never read a key of one run with the certificate of another.
 */
export function loadTls(hosts: readonly string[] = ALL_HOSTS, cacheDir = join(tmpdir(), `entra-demo-tenant-tls-${CERT_VERSION}`)): TlsMaterial {
  const file = join(cacheDir, 'tls.pem');
  let pair: { key: string; cert: string } | null = null;
  try {
    pair = usable(readFileSync(file, 'utf8'), hosts);
  } catch {
    pair = null;
  }
  if (!pair) {
    const pem = generate(hosts);
    pair = usable(pem, hosts);
    if (!pair) throw new Error('openssl produced an unusable certificate');
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${Date.now()}`;
      writeFileSync(tmp, pem, { mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      /* caching is an optimisation only */
    }
  }
  return { ...pair, spki: spkiPin(pair.cert) };
}
