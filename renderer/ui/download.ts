import { exportFileName } from '../../model/common/file-names.js';

/** Saves bytes as a file: an <a download> of a Blob (Electron shows its save dialog). */
export function downloadBytes(name: string, data: Uint8Array, mime: string): void {
  const blob = new Blob([data as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name safe on every OS, ending in `ext` (the core's one rule: model/common/file-names.ts). */
export function safeFileName(name: string, ext = '', fallback = 'ostinato'): string {
  return exportFileName(name, ext, fallback);
}
