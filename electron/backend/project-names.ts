import { ApiFailure } from './failure.js';

export const PROJECT_SUFFIX = '.netcanvas.json';
const MAX_STEM = 100;

/** The file name without `.netcanvas.json` or `.json`. */
export function fileStem(fileName: string): string {
  return fileName.replace(/(\.netcanvas)?\.json$/i, '');
}

/** What the save dialog offers for a project: its name, safe as a file name on every system. */
export function defaultFileName(projectName: string): string {
  const stem = projectName
    .trim()
    .toLowerCase()
    .replace(/[\s/\\:*?"<>|\p{Cc}]+/gu, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, MAX_STEM);
  return `${stem || 'network'}${PROJECT_SUFFIX}`;
}

/** The stem of a name typed in browser mode, refused when it could name anything but a file in the projects folder. */
export function projectStem(fileName: string): string {
  const stem = fileStem(fileName.trim()).trim();
  const refuse = (why: string) => new ApiFailure('INVALID_REQUEST', `The file name ${JSON.stringify(fileName)} ${why}.`);
  if (!stem) throw new ApiFailure('INVALID_REQUEST', 'Give the project file a name.');
  if (/[/\\]/.test(stem)) throw refuse('cannot contain / or \\: projects are saved in the projects folder itself');
  if (stem.includes('..')) throw refuse('cannot contain ".."');
  if (stem.startsWith('.')) throw refuse('cannot start with a dot: the file would be hidden');
  if (/\p{Cc}/u.test(stem)) throw refuse('cannot contain control characters');
  if (stem.length > MAX_STEM) throw refuse(`is ${stem.length} characters long; keep it to ${MAX_STEM}`);
  return stem;
}
