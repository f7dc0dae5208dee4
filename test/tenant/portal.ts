// A stand-in for the Entra admin center / Azure portal: one hash-routed page under a strict CSP that
// allows inline styles and scripts only with the page's own nonce, so tests can prove the extension
// adds nothing the CSP refuses.
import { randomBytes } from 'node:crypto';
import type { Incoming, Reply, TenantContext } from './context';
import { escapeHtml, html, scriptJson, text } from './http-util';

export function assignmentsRoute(packageId: string, catalogId: string): string {
  return `#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/assignments/entitlementId/${packageId}/catalogId/${catalogId}`;
}

export const DASHBOARD_ROUTE = '#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlement';
/** The admin center's access packages list (public admin-center links). */
export const ACCESS_PACKAGES_ROUTE = '#view/Microsoft_AAD_ERM/DashboardBlade/~/elmEntitlementManagement/menuId/AccessPackages';

/** A catalog's pages (public admin-center links: CatalogMenuBlade/~/<menu>/catalogId/<id>). */
export function catalogRoute(catalogId: string, menu = 'accessPackages'): string {
  return `#view/Microsoft_Azure_ELMAdmin/CatalogMenuBlade/~/${menu}/catalogId/${catalogId}`;
}

const STYLE = `
body{margin:0;font:14px "Segoe UI",system-ui,sans-serif;color:#323130;background:#faf9f8}
header{height:48px;background:#0f6cbd;color:#fff;display:flex;align-items:center;padding:0 16px;gap:16px}
header .brand{font-weight:600}
.layout{display:flex;min-height:calc(100vh - 48px)}
nav{width:240px;background:#fff;border-right:1px solid #edebe9;padding:8px 0}
nav a{display:block;padding:8px 16px;color:#323130;text-decoration:none}
nav a:hover{background:#f3f2f1}
nav .group{padding:12px 16px 4px;font-size:12px;color:#605e5c;text-transform:uppercase}
main{flex:1;padding:16px 24px}
.breadcrumb{color:#605e5c;font-size:12px}
.commandbar{display:flex;gap:8px;margin:12px 0}
.commandbar button{background:none;border:1px solid #8a8886;padding:4px 12px}
.grid{background:#fff;border:1px solid #edebe9;min-height:200px;padding:12px}
@media (prefers-color-scheme: dark){
body{color:#f3f2f1;background:#1b1a19}
nav{background:#252423;border-right-color:#3b3a39}
nav a{color:#f3f2f1}
nav a:hover{background:#323130}
nav .group,.breadcrumb{color:#c8c6c4}
.commandbar button{color:#f3f2f1}
.grid{background:#252423;border-color:#3b3a39}
}
`;

function page(ctx: TenantContext, nonce: string, host: string): string {
  const packages = ctx.data.packages.map((p) => ({ id: p.id, name: p.displayName, route: assignmentsRoute(p.id, p.catalogId) }));
  const links = packages.map((p) => `<a href="${escapeHtml(p.route)}" data-package-id="${escapeHtml(p.id)}">${escapeHtml(p.name)}</a>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Microsoft Entra admin center</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header><span class="brand">Microsoft Entra admin center</span><span class="tenant">${escapeHtml(ctx.data.tenant.displayName)}</span><span class="host">${escapeHtml(host)}</span></header>
<div class="layout">
<nav aria-label="Main">
<a href="#home">Home</a>
<div class="group">Identity Governance</div>
<a href="${DASHBOARD_ROUTE}">Entitlement management</a>
<div class="group">Access packages</div>
${links}
</nav>
<main id="content">
<div class="breadcrumb" id="breadcrumb">Home</div>
<h1 id="blade-title">Home</h1>
<div class="commandbar"><button type="button">Refresh</button><button type="button">Download</button></div>
<div class="grid" id="blade-body">Select an access package.</div>
</main>
</div>
<script type="application/json" id="portal-data" nonce="${nonce}">${scriptJson(packages)}</script>
<script nonce="${nonce}">
(function () {
  var packages = JSON.parse(document.getElementById('portal-data').textContent);
  function render() {
    var hash = location.hash;
    var m = /entitlementId\\/([0-9a-fA-F-]{36})/.exec(hash);
    var title = 'Home', crumb = 'Home', body = 'Select an access package.';
    if (m) {
      var p = packages.filter(function (x) { return x.id.toLowerCase() === m[1].toLowerCase(); })[0];
      title = (p ? p.name : 'Access package') + ' | Assignments';
      crumb = 'Identity Governance > Access packages > ' + (p ? p.name : m[1]);
      body = 'Assignments of this access package are listed here.';
    } else if (hash.indexOf('menuId/AccessPackages') >= 0) {
      title = 'Access packages'; crumb = 'Identity Governance > Entitlement management'; body = 'Every access package you can read.';
    } else if (/CatalogMenuBlade/.test(hash)) {
      title = 'Catalog'; crumb = 'Identity Governance > Catalogs'; body = 'Access packages and resources of this catalog.';
    } else if (hash.indexOf('DashboardBlade') >= 0) {
      title = 'Entitlement management'; crumb = 'Identity Governance'; body = 'Access packages, catalogs and settings.';
    }
    document.getElementById('blade-title').textContent = title;
    document.getElementById('breadcrumb').textContent = crumb;
    document.getElementById('blade-body').textContent = body;
    document.title = title + ' - Microsoft Entra admin center';
  }
  window.addEventListener('hashchange', render);
  render();
})();
</script>
</body>
</html>`;
}

export function handlePortal(ctx: TenantContext, req: Incoming): Reply {
  if (req.path === '/favicon.ico') return text(404, 'Not found');
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method not allowed', { allow: 'GET, HEAD' });
  const nonce = randomBytes(16).toString('base64');
  return html(200, page(ctx, nonce, req.host), {
    'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'referrer-policy': 'strict-origin-when-cross-origin',
  });
}
