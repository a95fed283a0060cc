/** Values bound for Prisma Json columns: plain JSON only (no Dates, undefined or class instances). */
import { Prisma } from '../generated/sqlite/client.ts';

/** Filter value for "the Json column holds SQL NULL". */
export const DbNull = Prisma.DbNull;

export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;
}
