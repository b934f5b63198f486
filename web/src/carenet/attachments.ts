// Files chosen for a post: checked here the way the server checks them (type by content, size,
// count), so a nurse on a phone hears about a wrong file before uploading it.
import type { AttachmentUpload } from '../api/carenet';

export const MAX_ATTACHMENTS = 4;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type AttachmentKind = 'jpeg' | 'png' | 'pdf';

export interface PickedFile {
  /** Unique within one picker, for keys and removal. */
  key: string;
  filename: string;
  size: number;
  kind: AttachmentKind;
  /** base64 of the bytes, without a data: prefix. */
  data: string;
}

export type FileProblem = { filename: string; problem: 'too_large' | 'wrong_type' | 'too_many' | 'unreadable' };

/** The type of a file from its first bytes (JPEG FF D8 FF, PNG 89 50 4E 47, PDF "%PDF"), or null. */
export function sniffKind(head: Uint8Array): AttachmentKind | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 4 && head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png';
  if (head.length >= 4 && head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return 'pdf';
  return null;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

let counter = 0;

/**
 * Reads the chosen files after the ones already picked; returns the accepted files and, for each
 * refused one, why.
 */
export async function readFiles(files: readonly File[], already: number): Promise<{ accepted: PickedFile[]; problems: FileProblem[] }> {
  const accepted: PickedFile[] = [];
  const problems: FileProblem[] = [];
  for (const file of files) {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      problems.push({ filename: file.name, problem: 'too_large' });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      problems.push({ filename: file.name, problem: 'unreadable' });
      continue;
    }
    const kind = sniffKind(bytes.subarray(0, 8));
    if (!kind) {
      problems.push({ filename: file.name, problem: 'wrong_type' });
      continue;
    }
    if (already + accepted.length >= MAX_ATTACHMENTS) {
      problems.push({ filename: file.name, problem: 'too_many' });
      continue;
    }
    counter += 1;
    accepted.push({ key: `f${counter}`, filename: file.name || `file-${counter}`, size: file.size, kind, data: base64(bytes) });
  }
  return { accepted, problems };
}

export function toUploads(files: readonly PickedFile[]): AttachmentUpload[] {
  return files.map((f) => ({ filename: f.filename, data: f.data }));
}

/** A data: URL for previewing a picked image (the CSP allows data: images). */
export function previewUrl(file: PickedFile): string | null {
  if (file.kind === 'pdf') return null;
  return `data:image/${file.kind};base64,${file.data}`;
}

/** "820 KB", "3.4 MB". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}
