/**
 * The Content-Security-Policy of the app's page, the same for both hosts: only the app's own
 * scripts, styles and assets; no eval, no plugins, no frames, no foreign connections. `connect`
 * lists the extra origins the page may connect to (the local host's WebSocket). `blob:` is allowed
 * for media and audio worklets that Tone.js builds at run time, `data:` and `blob:` for fetching
 * decoded audio and small images. No inline scripts or styles.
 */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self' blob:",
    "worker-src 'self' blob:",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    ['connect-src', "'self'", ...connect, 'data:', 'blob:'].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
