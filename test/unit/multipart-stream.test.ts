import { boundaryOf, MultipartParser, PartHeaders, parsePartHeaders } from '../../src/api/multipart-stream';

const BOUNDARY = '----df-boundary-1234';

function body(
  parts: { headers: string[]; content: Buffer | string }[],
  options: { preamble?: string; close?: boolean } = {},
): Buffer {
  const pieces: Buffer[] = [Buffer.from(options.preamble ?? '')];
  for (const part of parts) {
    pieces.push(
      Buffer.from(`--${BOUNDARY}\r\n${part.headers.map((h) => `${h}\r\n`).join('')}\r\n`),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    );
  }
  if (options.close !== false) pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(pieces);
}

/** Feeds the body in chunks of `size` bytes and collects what the parser reports. */
async function parse(content: Buffer, size: number): Promise<{ headers: PartHeaders; content: Buffer }[]> {
  const parts: { headers: PartHeaders; chunks: Buffer[] }[] = [];
  const parser = new MultipartParser(BOUNDARY, {
    part: (headers) => {
      parts.push({ headers, chunks: [] });
    },
    data: (chunk) => {
      parts[parts.length - 1].chunks.push(Buffer.from(chunk));
    },
    partEnd: () => undefined,
  });
  for (let i = 0; i < content.length; i += size) await parser.write(content.subarray(i, i + size));
  await parser.end();
  return parts.map((p) => ({ headers: p.headers, content: Buffer.concat(p.chunks) }));
}

const FILE = [
  'Content-Disposition: form-data; name="file"; filename="job.jar"',
  'Content-Type: application/java-archive',
];
// Content that nearly holds the delimiter, to catch a parser that cuts at a partial match.
const TRICKY = Buffer.concat([
  Buffer.from('PK\u0003\u0004'),
  Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}x`),
  Buffer.alloc(3000, 0x2d),
  Buffer.from('\r\n-'),
]);

describe('streaming multipart/form-data parser', () => {
  it.each([1, 2, 7, 64, 4096, 1 << 20])(
    'gives each part its headers and exact content, fed %i bytes at a time',
    async (size) => {
      const parts = await parse(
        body(
          [
            { headers: ['Content-Disposition: form-data; name="note"'], content: 'hello' },
            { headers: FILE, content: TRICKY },
          ],
          { preamble: 'ignored preamble\r\n' },
        ),
        size,
      );
      expect(parts.map((p) => p.headers)).toEqual([
        { name: 'note' },
        { name: 'file', fileName: 'job.jar', contentType: 'application/java-archive' },
      ]);
      expect(parts[0].content.toString()).toBe('hello');
      expect(parts[1].content.equals(TRICKY)).toBe(true);
    },
  );

  it('takes an empty part and a part with no headers', async () => {
    const parts = await parse(
      body([
        { headers: FILE, content: '' },
        { headers: [], content: 'x' },
      ]),
      5,
    );
    expect(parts.map((p) => p.content.toString())).toEqual(['', 'x']);
    expect(parts[1].headers).toEqual({});
  });

  it('refuses a body that ends before its closing boundary', async () => {
    await expect(parse(body([{ headers: FILE, content: 'PK' }], { close: false }), 10)).rejects.toThrow(
      'the body ends before its closing boundary',
    );
  });

  it('refuses headers that never end', async () => {
    const endless = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${'x'.repeat(20000)}`);
    await expect(parse(endless, 4096)).rejects.toThrow(/headers are longer than/);
  });

  it('reads file names as a browser sends them: quoted, RFC 5987 encoded, or a whole Windows path', () => {
    expect(parsePartHeaders('Content-Disposition: form-data; name="f"; filename="a \\"b\\".jar"').fileName).toBe(
      'a "b".jar',
    );
    expect(
      parsePartHeaders("Content-Disposition: form-data; name=f; filename*=UTF-8''%C3%A9t%C3%A9.jar").fileName,
    ).toBe('été.jar');
    expect(
      parsePartHeaders('Content-Disposition: form-data; name="f"; filename="C:\\\\jobs\\\\job.jar"').fileName,
    ).toBe('job.jar');
    expect(parsePartHeaders('Content-Disposition: form-data; name="f"').fileName).toBeUndefined();
  });

  it('finds the boundary of a Content-Type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
  });
});
