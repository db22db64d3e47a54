import type { FileHandle } from 'node:fs/promises';

/**
 * Reads the entry names of a zip file from its central directory (APPNOTE.TXT 4.3.12-4.3.16),
 * as Java's ZipFile does: the directory at the end is what a JVM trusts, not the local headers,
 * so a file is a readable zip only if that directory is there and whole. ZIP64 is followed (fat
 * jars past 65535 entries use it). The directory is read in windows, never whole.
 */

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
/** Large enough for any one central header (46 bytes + three 16-bit lengths). */
const WINDOW = 1 << 20;

/** The file is not a zip a JVM can open; the message says what is wrong with it. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

export interface CentralDirectory {
  offset: number;
  size: number;
  entries: number;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await file.read(buffer, read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buffer.subarray(0, read);
}

/** A 64-bit little-endian field as a number; zips past 2^53 bytes are refused, not misread. */
function uint64(buffer: Buffer, at: number): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('a ZIP64 field is out of range');
  return Number(value);
}

/** Where the central directory is, from the end-of-central-directory record (ZIP64 when marked so). */
export async function locateCentralDirectory(file: FileHandle, fileSize: number): Promise<CentralDirectory> {
  if (fileSize < EOCD_SIZE) throw new ZipFormatError(`${fileSize} bytes is too short for a zip`);
  // The record ends the file, after a comment of up to 64 KiB: search backwards for its signature.
  const tailStart = Math.max(0, fileSize - EOCD_SIZE - MAX_COMMENT);
  const tail = await readAt(file, tailStart, fileSize - tailStart);
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('no end of central directory record (the zip is cut short or is not a zip)');
  const eocdOffset = tailStart + at;
  let entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locatorOffset = eocdOffset - ZIP64_LOCATOR_SIZE;
    const locator = locatorOffset >= 0 ? await readAt(file, locatorOffset, ZIP64_LOCATOR_SIZE) : Buffer.alloc(0);
    if (locator.length === ZIP64_LOCATOR_SIZE && locator.readUInt32LE(0) === ZIP64_LOCATOR_SIGNATURE) {
      const recordOffset = uint64(locator, 8);
      const record = await readAt(file, recordOffset, ZIP64_EOCD_SIZE);
      if (record.length < ZIP64_EOCD_SIZE || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) {
        throw new ZipFormatError('the ZIP64 end of central directory record is missing');
      }
      entries = uint64(record, 32);
      size = uint64(record, 40);
      offset = uint64(record, 48);
    }
  }
  if (offset + size > eocdOffset) throw new ZipFormatError('the central directory lies outside the file');
  return { offset, size, entries };
}

/** Every entry name in the central directory, in order; stops early when the caller stops. */
export async function* zipEntryNames(file: FileHandle, fileSize: number): AsyncGenerator<string> {
  const directory = await locateCentralDirectory(file, fileSize);
  const end = directory.offset + directory.size;
  let position = directory.offset;
  let seen = 0;
  let window: Buffer = Buffer.alloc(0);
  let windowStart = position;
  while (position < end) {
    let at = position - windowStart;
    if (at + CENTRAL_HEADER_SIZE > window.length) {
      window = await readAt(file, position, Math.min(WINDOW, end - position));
      windowStart = position;
      at = 0;
    }
    if (at + CENTRAL_HEADER_SIZE > window.length || window.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError(`the central directory is damaged at entry ${seen + 1}`);
    }
    const nameLength = window.readUInt16LE(at + 28);
    const headerLength = CENTRAL_HEADER_SIZE + nameLength + window.readUInt16LE(at + 30) + window.readUInt16LE(at + 32);
    if (at + headerLength > window.length) {
      // A window read from this entry on holds any whole header: not fitting there, it runs past the directory.
      if (at === 0) throw new ZipFormatError(`the central directory is cut short at entry ${seen + 1}`);
      window = await readAt(file, position, Math.min(WINDOW, end - position));
      windowStart = position;
      continue;
    }
    // Bit 11 marks UTF-8 names; others are CP437, of which ASCII names (all a JVM looks up) are the same.
    const utf8 = (window.readUInt16LE(at + 8) & 0x0800) !== 0;
    yield window.toString(utf8 ? 'utf8' : 'latin1', at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength);
    position += headerLength;
    seen++;
  }
  if (seen !== directory.entries) {
    throw new ZipFormatError(
      `the central directory lists ${seen} entries where its end record says ${directory.entries}`,
    );
  }
}
