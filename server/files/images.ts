// The pixel size of an uploaded image (image-size reads its header only), for covers on the board.
import { imageSizeFromFile } from 'image-size/fromFile';
import { COVER_TYPES } from './names.js';

/** Width and height of an image we can show as a cover; null for other files or unreadable images. */
export async function pixelSize(path: string, type: string): Promise<{ width: number | null; height: number | null }> {
  if (!COVER_TYPES.has(type)) return { width: null, height: null };
  try {
    const { width, height } = await imageSizeFromFile(path);
    return width > 0 && height > 0 ? { width, height } : { width: null, height: null };
  } catch {
    return { width: null, height: null };
  }
}

