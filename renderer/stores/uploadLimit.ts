/**
 * What browser mode takes in one upload: the files travel in one WebSocket message of at most
 * 64 MB, the weight files as base64 (a third larger), so about 47 MB of files.
 */
export const UPLOAD_LIMIT_BYTES = 47 * 1024 * 1024;

/** Why files are too big to upload together (naming them, largest first), or null. */
export function uploadTooBig(files: readonly { name: string; size: number }[]): string | null {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= UPLOAD_LIMIT_BYTES) return null;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const list = [...files].sort((a, b) => b.size - a.size).map((f) => `${f.name} (${mb(f.size)})`).join(', ');
  return `These files are ${mb(total)} together, more than the ${mb(UPLOAD_LIMIT_BYTES)} browser mode takes in one upload: ${list}. Open it with the desktop app or the command line (netcanvas summary or train on the model.json), which read its weight files from beside it.`;
}
