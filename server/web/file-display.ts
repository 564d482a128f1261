// How attachments read on a page: sizes in words, and cover images scaled to fit a card cell.
import type { FastifyRequest } from 'fastify';
import type { BoardAccess } from '../store/boards.js';
import type { Card, CardFace } from '../store/cards.js';
import { urls } from './urls.js';

/** "812 bytes", "1.4 KB", "23 MB", "1.1 GB" (powers of 1024, as file managers show them). */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A cover at most this wide and high on the board; the browser scales it (width/height attributes). */
const COVER_BOX = { width: 160, height: 120 };

export function scaledToFit(width: number, height: number, box = COVER_BOX): { width: number; height: number } {
  const scale = Math.min(1, box.width / width, box.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The card's cover as an image to show on the board, or null. */
export function coverImage(board: { id: string; slug: string }, card: CardFace): { src: string; width: number; height: number } | null {
  if (!card.cover) return null;
  return { src: urls.attachmentFile(board, card.id, card.cover.id, card.cover.name), ...scaledToFit(card.cover.width, card.cover.height) };
}

/** The card's attachments as the card page and the upload page list them, with the upload limit. */
export async function attachmentList(request: FastifyRequest, access: BoardAccess, card: Card) {
  const { board } = access;
  return {
    attachments: (await request.server.store.attachments.forCard(card.id)).map((a) => ({
      ...a,
      url: urls.attachmentFile(board, card.id, a.id, a.name),
      page: urls.attachment(board, card.id, a.id),
      sizeText: sizeText(a.size),
      isCover: card.coverId === a.id,
    })),
    maxFileText: sizeText(request.server.wamiConfig.maxFileBytes),
  };
}
