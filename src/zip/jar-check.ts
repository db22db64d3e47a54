import { open } from 'node:fs/promises';
import { ZipFormatError, zipEntryNames } from './central-directory';

/** Local file header signature: every zip (and so every jar) starts with it. */
export const ZIP_MAGIC = Uint8Array.of(0x50, 0x4b, 0x03, 0x04);

// Java looks its manifest up case-insensitively (JarFile.getManEntry).
const MANIFEST = 'meta-inf/manifest.mf';

/**
 * Why the file is not a jar a JVM (and so Flink) can open, or undefined when it is: a zip whose
 * central directory is whole and names META-INF/MANIFEST.MF.
 */
export async function jarProblem(filePath: string): Promise<string | undefined> {
  const file = await open(filePath, 'r');
  try {
    const { size } = await file.stat();
    for await (const name of zipEntryNames(file, size)) {
      if (name.toLowerCase() === MANIFEST) return undefined;
    }
    return 'it has no META-INF/MANIFEST.MF';
  } catch (error) {
    if (error instanceof ZipFormatError) return `it is not a readable zip: ${error.message}`;
    throw error;
  } finally {
    await file.close();
  }
}
