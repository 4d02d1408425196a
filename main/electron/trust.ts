/**
 * The Electron window's trust rules, kept free of Electron imports so they are unit-tested:
 * the app's page lives at app://ostinato/ (a privileged custom protocol serving dist/renderer and
 * the shipped assets); only that origin may call the IPC API, be navigated to or stay in the window.
 * Links to the few https pages the app itself names (EXTERNAL_LINKS: the licences of what it ships and
 * the source of its corpus) open in the user's browser; every other URL is refused.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ostinato';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * The only pages shell.openExternal may open: https, host exactly as listed, path under the listed
 * prefix. The licences of the shipped piano samples and of the app, and the corpus's source.
 */
export const EXTERNAL_LINKS: readonly { host: string; pathPrefix: string }[] = [
  { host: 'creativecommons.org', pathPrefix: '/licenses/' },
  { host: 'opensource.org', pathPrefix: '/licenses/' },
  { host: 'www.gnu.org', pathPrefix: '/licenses/' },
  { host: 'tardis.ed.ac.uk', pathPrefix: '/~moray/harmony/' },
];

/** True for an https URL on the allow-list (no credentials, no other port). */
export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return EXTERNAL_LINKS.some((l) => u.hostname === l.host && u.pathname.startsWith(l.pathPrefix));
}

/** What to do with a navigation or window.open to `url`. */
export function navigationDecision(url: string): 'allow' | 'external' | 'deny' {
  if (isAppUrl(url)) return 'allow';
  return isAllowedExternalUrl(url) ? 'external' : 'deny';
}

/** Permissions the page may have: none of camera, microphone, geolocation, notifications, HID… */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'fullscreen'];

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl);
}
