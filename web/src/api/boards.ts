// 連携プロジェクト・掲示板: boards shared by professionals, their members and threads.
import type { AttachmentInfo, AttachmentUpload, CareUser } from './carenet';
import { apiUrl, request } from './client';

export interface BoardSummary {
  id: number;
  title: string;
  description: string;
  members: number;
  threads: number;
  last_activity_at: string | null;
}

export interface BoardMember {
  user: CareUser;
  owner: boolean;
}

export interface Board {
  id: number;
  title: string;
  description: string;
  members: BoardMember[];
}

export interface ThreadSummary {
  id: number;
  title: string;
  author: CareUser;
  created_at: string;
  posts: number;
  last_post_at: string | null;
}

export interface BoardPost {
  id: number;
  author: CareUser;
  body: string;
  created_at: string;
  attachments: AttachmentInfo[];
}

export interface Thread {
  id: number;
  title: string;
  author?: CareUser;
  created_at?: string;
}

function boardPath(id: number, rest = ''): string {
  return `carenet/boards/${encodeURIComponent(String(id))}${rest}`;
}

/** Boards the signed-in user is a member of. */
export async function listBoards(signal?: AbortSignal): Promise<BoardSummary[]> {
  const body = await request<{ boards: BoardSummary[] }>('GET', 'carenet/boards', { signal });
  return body.boards;
}

/** Any staff member may open a board; they become its owner. Returns the new board's id when the server says it. */
export async function createBoard(input: { title: string; description: string }): Promise<number | null> {
  const body = await request<{ board?: { id: number }; id?: number } | null>('POST', 'carenet/boards', { body: input });
  return body?.board?.id ?? body?.id ?? null;
}

export function getBoard(id: number, signal?: AbortSignal): Promise<{ board: Board; threads: ThreadSummary[] }> {
  return request<{ board: Board; threads: ThreadSummary[] }>('GET', boardPath(id), { signal });
}

/** Owner only. */
export async function addBoardMember(board: number, user: number): Promise<void> {
  await request<unknown>('POST', boardPath(board, '/members'), { body: { user } });
}

export async function removeBoardMember(board: number, user: number): Promise<void> {
  await request<unknown>('DELETE', boardPath(board, `/members/${encodeURIComponent(String(user))}`));
}

export async function createThread(
  board: number,
  input: { title: string; body: string; attachments: AttachmentUpload[] },
): Promise<Thread> {
  const body = await request<{ thread: Thread }>('POST', boardPath(board, '/threads'), { body: input });
  return body.thread;
}

/** The thread and its posts, oldest first. */
export function getThread(board: number, thread: number, signal?: AbortSignal): Promise<{ thread: Thread; posts: BoardPost[] }> {
  return request<{ thread: Thread; posts: BoardPost[] }>('GET', boardPath(board, `/threads/${encodeURIComponent(String(thread))}`), {
    signal,
  });
}

export async function replyToThread(board: number, thread: number, input: { body: string; attachments: AttachmentUpload[] }): Promise<void> {
  await request<unknown>('POST', boardPath(board, `/threads/${encodeURIComponent(String(thread))}/posts`), { body: input });
}

/** Address of a board attachment's bytes. */
export function boardAttachmentUrl(board: number, attachment: number): string {
  return apiUrl(boardPath(board, `/attachments/${encodeURIComponent(String(attachment))}`));
}
