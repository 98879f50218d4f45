import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** What a task's evidence file may be: documents, images, archives and text. */
export const EVIDENCE_CONTENT_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
] as const;

/** Files are kept in the app database: small ones only. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export function evidenceContentType(header: string | string[] | undefined): string {
  const type = (Array.isArray(header) ? header[0] : header)?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(EVIDENCE_CONTENT_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedMediaTypeException({
      message: `Content-Type ${type || '(none)'} is not accepted for evidence: use one of ${EVIDENCE_CONTENT_TYPES.join(', ')}.`,
      details: [{ field: 'Content-Type', reason: `must be one of ${EVIDENCE_CONTENT_TYPES.join(', ')}` }],
    });
  }
  return type;
}

/**
 * Reads the raw request body up to `limit` bytes. A larger body is drained (so the client reads the
 * answer) and refused with 413; one far larger is cut off.
 */
export function readEvidenceBody(req: IncomingMessage, limit = EVIDENCE_MAX_BYTES): Promise<Buffer> {
  const tooLarge = () =>
    new PayloadTooLargeException({
      message: `Evidence files may be at most ${limit} bytes.`,
      details: [{ field: 'body', reason: `must be at most ${limit} bytes` }],
    });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 4 * limit) {
        req.destroy();
        reject(tooLarge());
      }
    });
    req.on('end', () => {
      if (size > limit) reject(tooLarge());
      else if (size === 0) reject(new BadRequestException({ message: 'The file is empty.', details: [{ field: 'body', reason: 'must not be empty' }] }));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
