/**
 * The Electron window's trust rules, kept free of Electron imports so they are unit-tested:
 * the app's page lives at app://ostinato/ (a privileged custom protocol serving dist/renderer and
 * the shipped assets); only that origin may call the IPC API, be navigated to or stay in the window.
 * Links to https pages open in the user's browser; everything else is refused.
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

/** What to do with a navigation or window.open to `url`. */
export function navigationDecision(url: string): 'allow' | 'external' | 'deny' {
  if (isAppUrl(url)) return 'allow';
  try {
    const u = new URL(url);
    if (u.protocol === 'https:' && u.username === '' && u.password === '') return 'external';
  } catch {
    /* not a URL */
  }
  return 'deny';
}

/** Permissions the page may have: none of camera, microphone, geolocation, notifications, HID… */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'fullscreen'];

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl);
}
