import type { Put } from '../writes.js';
import { apiError } from '../errors.js';
import type { OperationEnv, OperationResult, StateView } from '../operation.js';
import type { Scope } from '../scope.js';
import { parseTimestamp } from '../time.js';
import { bool, oneOf, validateBody, type Schema, type Fields } from '../validation.js';
import {
  REPORT_INDEX_ID,
  type Report,
  type ReportDocument,
  type ReportDocumentRecord,
  type ReportIndex,
  type ReportRecord,
  type ReportSchedule,
  type ReportScheduleRecord,
} from './reportRecord.js';
import {
  AUTOMATIC_ONLY,
  DOCUMENT_URL_VALIDITY_MS,
  processingStatuses,
  REPORT_RETENTION_MS,
  reportTypes,
  scheduleFrequencies,
  type ReportType,
} from './reportTypes.js';


/** Report times are ISO 8601 with milliseconds, as Get Disbursements shows them (UNCONFIRMED for reports). */
export const isoTime = (ms: number) => new Date(ms).toISOString();

const time = { type: 'string', max: 32 } satisfies Schema;
export const createReportFields = { reportType: oneOf(...reportTypes), startTime: time, endTime: time } satisfies Fields;
export const createReportScheduleFields = {
  reportType: oneOf(...reportTypes),
  scheduleFrequency: oneOf(...Object.keys(scheduleFrequencies)),
  nextReportCreationTime: time,
  deleteExistingSchedule: bool,
} satisfies Fields;

export function timeField(value: string, field: string): number {
  const ms = parseTimestamp(value);
  if (ms === null) throw apiError('InvalidParameterValue', `The value '${value}' provided for '${field}' is invalid. Use YYYYMMDDTHHMMSSZ or YYYY-MM-DDTHH:MM:SSZ (UTC).`);
  return ms;
}

function manualType(type: ReportType, what: string): void {
  if (type === AUTOMATIC_ONLY) throw apiError('InvalidParameterValue', `The reportType ${type} is created with each settlement; it cannot be ${what}.`);
}

const indexOf = (state: StateView): ReportIndex => state.get<ReportIndex>('reportIndex', REPORT_INDEX_ID) ?? { reports: [], schedules: [] };
const indexWrite = (index: ReportIndex): Put => ({ collection: 'reportIndex', id: REPORT_INDEX_ID, value: index });

/** A report as of `now`: IN_PROGRESS until its processing time has passed on the clock, then COMPLETED. */
export function reportAsOf(record: ReportRecord, now: number): Report {
  if (record.report.processingStatus !== 'IN_PROGRESS' || now < record.meta.completesAt) return record.report;
  return { ...record.report, processingStatus: 'COMPLETED', processingEndTime: isoTime(record.meta.completesAt), reportDocumentId: record.meta.documentId };
}

/** What a new report covers: its type, [startMs, endMs), when it is created and by which schedule (if any). */
interface ReportRequest {
  type: ReportType;
  /** Where the report is made (the caller's, or its schedule's, environment and region). */
  scope: Scope;
  startMs: number;
  endMs: number;
  createdMs: number;
  scheduleId: string | null;
}

/** A new report over [startMs, endMs), created at `createdMs`; its document waits for the pending delay. */
function newReport(env: OperationEnv, { type, scope, startMs, endMs, createdMs, scheduleId }: ReportRequest): { record: ReportRecord; writes: Put[] } {
  const reportId = env.ids.numericId();
  const documentId = env.ids.reportDocumentId();
  const record: ReportRecord = {
    report: {
      createdTime: isoTime(createdMs),
      endTime: isoTime(endMs),
      processingEndTime: null,
      processingStartTime: isoTime(createdMs),
      processingStatus: 'IN_PROGRESS',
      reportDocumentId: null,
      reportId,
      reportType: type,
      startTime: isoTime(startMs),
    },
    meta: {
      startMs, endMs, createdMs, completesAt: createdMs + env.settings.pendingDelayMs, documentId, token: env.ids.token(), scheduleId,
      environment: scope.environment, region: scope.region,
    },
  };
  const document: ReportDocumentRecord = { reportId };
  return {
    record,
    writes: [
      { collection: 'reports', id: reportId, value: record },
      { collection: 'reportDocuments', id: documentId, value: document },
    ],
  };
}

/** At most this many reports per schedule are produced in one catch-up; older periods are skipped. */
const MAX_CATCH_UP = 200;

/**
 * The reports every schedule has produced by `now`: one per period whose creation time the clock
 * has passed, covering the period before it. Run before every Reports operation, so schedules
 * produce reports as the clock moves whether or not anyone polls in between.
 */
function catchUpSchedules(env: OperationEnv, index: ReportIndex): { index: ReportIndex; writes: Put[] } {
  const now = env.ctx.now;
  const writes: Put[] = [];
  let reports = index.reports;
  for (const scheduleId of index.schedules) {
    const stored = env.state.get<ReportScheduleRecord>('reportSchedules', scheduleId);
    if (!stored || stored.meta.nextMs > now) continue;
    const { periodMs } = stored.meta;
    const due = Math.floor((now - stored.meta.nextMs) / periodMs) + 1;
    let at = stored.meta.nextMs + Math.max(0, due - MAX_CATCH_UP) * periodMs;
    for (; at <= now; at += periodMs) {
      const made = newReport(env, { type: stored.schedule.reportType, scope: scopeOf(env, stored.meta), startMs: at - periodMs, endMs: at, createdMs: at, scheduleId });
      writes.push(...made.writes);
      reports = [...reports, made.record.report.reportId];
    }
    const next: ReportScheduleRecord = { schedule: { ...stored.schedule, nextReportCreationTime: isoTime(at) }, meta: { ...stored.meta, nextMs: at } };
    writes.push({ collection: 'reportSchedules', id: scheduleId, value: next });
  }
  return { index: { ...index, reports }, writes };
}

/** Where a schedule's reports are made: where the schedule was (the caller's place for schedules saved before that was kept). */
const scopeOf = (env: OperationEnv, meta: ReportScheduleRecord['meta']): Scope => ({ environment: meta.environment ?? env.ctx.environment, region: meta.region ?? env.ctx.region });

/** The merchant's report index after schedules caught up, and the writes that made it so (index write included). */
function caughtUp(env: OperationEnv): { index: ReportIndex; writes: Put[] } {
  const after = catchUpSchedules(env, indexOf(env.state));
  return { index: after.index, writes: after.writes.length ? [...after.writes, indexWrite(after.index)] : [] };
}

/** The catch-up writes with the index replaced by `index` (one write per record in a commit). */
function withIndex(writes: Put[], index: ReportIndex, more: Put[]): Put[] {
  return [...writes.filter((w) => w.collection !== 'reportIndex'), ...more, indexWrite(index)];
}

function findReport(env: OperationEnv, id: string): ReportRecord {
  const record = env.state.get<ReportRecord>('reports', id);
  if (!record) throw apiError('ResourceNotFound', `The Report '${id}' was not found.`);
  return record;
}

/** Create Report (201 `{reportId}`): IN_PROGRESS now, COMPLETED once the pending delay has passed on the clock. */
export function createReport(env: OperationEnv, body: unknown): OperationResult<{ reportId: string }> {
  const b = validateBody(body, createReportFields, ['reportType', 'startTime', 'endTime']);
  manualType(b.reportType, 'created on request');
  const startMs = timeField(b.startTime, 'startTime');
  const endMs = timeField(b.endTime, 'endTime');
  if (endMs <= startMs) throw apiError('InvalidParameterValue', `The endTime '${b.endTime}' must be later than the startTime '${b.startTime}'.`);
  if (startMs > env.ctx.now) throw apiError('InvalidParameterValue', `The startTime '${b.startTime}' is in the future.`);
  const { index, writes } = caughtUp(env);
  const made = newReport(env, { type: b.reportType, scope: env.ctx, startMs, endMs, createdMs: env.ctx.now, scheduleId: null });
  const next: ReportIndex = { ...index, reports: [...index.reports, made.record.report.reportId] };
  return { status: 201, body: { reportId: made.record.report.reportId }, writes: withIndex(writes, next, made.writes) };
}

/** Get Report By Id (200). */
export function getReportById(env: OperationEnv, id: string): OperationResult<Report> {
  const { writes } = caughtUp(env);
  const record = writes.length ? findIn(env, writes, id) : findReport(env, id);
  return { status: 200, body: reportAsOf(record, env.ctx.now), writes };
}

/** A report the catch-up just produced is not in the view yet: look in its writes first. */
function findIn(env: OperationEnv, writes: Put[], id: string): ReportRecord {
  const made = writes.find((w) => w.collection === 'reports' && w.id === id);
  return made ? (made.value as ReportRecord) : findReport(env, id);
}

const PAGE_DEFAULT = 10;
const PAGE_MAX = 100;

/**
 * A list parameter, given as one comma-separated value or with the key repeated once per value (the
 * Java SDK sends a list so); both forms may mix. Null when absent or empty.
 */
function listParam(query: Record<string, unknown>, key: string, allowed: readonly string[]): Set<string> | null {
  const raw = query[key];
  const parts = Array.isArray(raw) ? raw : [raw];
  if (parts.some((part) => part !== undefined && typeof part !== 'string')) throw apiError('InvalidParameterValue', `The query parameter '${key}' must be a comma-separated list.`);
  const values = (parts as (string | undefined)[]).flatMap((part) => (part ?? '').split(',')).map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) return null;
  for (const v of values) if (!allowed.includes(v)) throw apiError('InvalidParameterValue', `The value '${v}' provided for '${key}' is invalid. Allowed values: ${allowed.join(', ')}.`);
  return new Set(values);
}

export function oneQuery(query: Record<string, unknown>, key: string): string | undefined {
  const raw = query[key];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw apiError('InvalidParameterValue', `The query parameter '${key}' must be given once.`);
  return raw;
}

/** Page size from the query: 1 to 100, default 10 ("Get Reports"). */
export function pageSizeOf(query: Record<string, unknown>): number {
  const raw = oneQuery(query, 'pageSize');
  if (raw === undefined) return PAGE_DEFAULT;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > PAGE_MAX) throw apiError('InvalidParameterValue', `The value '${raw}' provided for 'pageSize' is invalid. Use a whole number from 1 to ${PAGE_MAX}.`);
  return Number(raw);
}

/** Where a listing stands: the filters of its first request and the offset of the next page. */
export interface Page {
  offset: number;
  types: string[] | null;
  statuses: string[] | null;
  sinceMs: number;
  untilMs: number;
  size: number;
}

/** The opaque nextToken: it carries the whole listing, so a next-page request needs nothing else (the .NET SDK sends nothing else). */
export function encodeToken(page: Page): string {
  return Buffer.from(JSON.stringify(page)).toString('base64url');
}

export function decodeToken(token: string): Page {
  try {
    const page = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Page;
    if (Number.isInteger(page.offset) && page.offset >= 0 && Number.isInteger(page.size) && Number.isFinite(page.sinceMs) && Number.isFinite(page.untilMs)) return page;
  } catch {
    // fall through
  }
  throw apiError('InvalidParameterValue', `The value '${token}' provided for 'nextToken' is invalid. Pass the nextToken of the previous page.`);
}

function firstPage(env: OperationEnv, query: Record<string, unknown>): Page {
  const now = env.ctx.now;
  const types = listParam(query, 'reportTypes', reportTypes);
  const statuses = listParam(query, 'processingStatuses', processingStatuses);
  const since = oneQuery(query, 'createdSince');
  const until = oneQuery(query, 'createdUntil');
  return {
    offset: 0,
    types: types && [...types],
    statuses: statuses && [...statuses],
    sinceMs: since === undefined ? now - REPORT_RETENTION_MS : timeField(since, 'createdSince'),
    untilMs: until === undefined ? now : timeField(until, 'createdUntil'),
    size: pageSizeOf(query),
  };
}

/**
 * Get Reports (200 `{reports, nextToken}`): newest first, filtered by type, status and creation
 * time (default: the last 90 days), pageSize per page; a nextToken continues its listing.
 */
export function getReports(env: OperationEnv, query: Record<string, unknown>): OperationResult<{ reports: Report[]; nextToken: string | null }> {
  const token = oneQuery(query, 'nextToken');
  const page = token === undefined ? firstPage(env, query) : decodeToken(token);
  const { index, writes } = caughtUp(env);
  const matching: Report[] = [];
  for (const id of [...index.reports].reverse()) {
    // The index holds every report of the merchant; those of another environment or region are not there for this call.
    const record = (writes.find((w) => w.collection === 'reports' && w.id === id)?.value as ReportRecord | undefined) ?? env.state.get<ReportRecord>('reports', id);
    if (!record) continue;
    if (record.meta.createdMs < page.sinceMs || record.meta.createdMs > page.untilMs) continue;
    const report = reportAsOf(record, env.ctx.now);
    if (page.types && !page.types.includes(report.reportType)) continue;
    if (page.statuses && !page.statuses.includes(report.processingStatus)) continue;
    matching.push(report);
  }
  const end = page.offset + page.size;
  const nextToken = end < matching.length ? encodeToken({ ...page, offset: end }) : null;
  return { status: 200, body: { reports: matching.slice(page.offset, end), nextToken }, writes };
}

/**
 * The `token` of a download URL for this report secret, document and `expires` (as written in the
 * URL): it covers the expiry, as an S3 pre-signed URL's signature does. Given by the caller, since
 * the domain does no cryptography (server/signing/documentUrl.ts).
 */
export type DocumentUrlToken = (secret: string, documentId: string, expires: string) => string;

/** Get Report Document (200): where to download a COMPLETED report's CSV, for 30 seconds. */
export function getReportDocument(env: OperationEnv, documentId: string, documentUrlToken: DocumentUrlToken): OperationResult<ReportDocument> {
  const { writes } = caughtUp(env);
  const link = env.state.get<ReportDocumentRecord>('reportDocuments', documentId);
  const record = link && findIn(env, writes, link.reportId);
  if (!record || reportAsOf(record, env.ctx.now).processingStatus !== 'COMPLETED') {
    throw apiError('ResourceNotFound', `The Report Document '${documentId}' was not found.`);
  }
  const expires = String(env.ctx.now + DOCUMENT_URL_VALIDITY_MS);
  const token = documentUrlToken(record.meta.token, documentId, expires);
  const url = `${env.settings.publicUrl}/storage/${encodeURIComponent(env.ctx.ns)}/report-documents/${encodeURIComponent(documentId)}?token=${token}&expires=${expires}`;
  return { status: 200, body: { reportDocumentId: documentId, url, compressionAlgorithm: 'N/A' }, writes };
}

/**
 * Create Report Schedule (201 `{reportScheduleId}`). One schedule per report type: another one
 * for the type is refused unless `deleteExistingSchedule` is true, which replaces it.
 */
export function createReportSchedule(env: OperationEnv, body: unknown): OperationResult<{ reportScheduleId: string }> {
  const b = validateBody(body, createReportScheduleFields, ['reportType', 'scheduleFrequency']);
  manualType(b.reportType, 'scheduled');
  const periodMs = scheduleFrequencies[b.scheduleFrequency]!;
  const nextMs = b.nextReportCreationTime === null || b.nextReportCreationTime === undefined ? env.ctx.now + periodMs : timeField(b.nextReportCreationTime, 'nextReportCreationTime');
  const { index, writes } = caughtUp(env);
  const existing = index.schedules.filter((id) => env.state.get<ReportScheduleRecord>('reportSchedules', id)?.schedule.reportType === b.reportType);
  if (existing.length && b.deleteExistingSchedule !== true) {
    throw apiError('InvalidRequest', `A report schedule for ${b.reportType} exists already (${existing.join(', ')}). Cancel it, or send deleteExistingSchedule: true to replace it.`);
  }
  const id = env.ids.numericId();
  const record: ReportScheduleRecord = {
    schedule: { nextReportCreationTime: isoTime(nextMs), reportScheduleId: id, reportType: b.reportType, scheduleFrequency: b.scheduleFrequency },
    meta: { periodMs, nextMs, environment: env.ctx.environment, region: env.ctx.region },
  };
  const next: ReportIndex = { ...index, schedules: [...index.schedules.filter((s) => !existing.includes(s)), id] };
  const removed: Put[] = existing.map((s) => ({ collection: 'reportSchedules', id: s, value: null }));
  return { status: 201, body: { reportScheduleId: id }, writes: withIndex(writes, next, [...removed, { collection: 'reportSchedules', id, value: record }]) };
}

function scheduleAfter(env: OperationEnv, writes: Put[], id: string): ReportSchedule | undefined {
  const made = writes.find((w) => w.collection === 'reportSchedules' && w.id === id);
  return ((made?.value as ReportScheduleRecord | undefined) ?? env.state.get<ReportScheduleRecord>('reportSchedules', id))?.schedule;
}

/** Get Report Schedules (200 `{reportSchedules}`), optionally of some report types. */
export function getReportSchedules(env: OperationEnv, query: Record<string, unknown>): OperationResult<{ reportSchedules: ReportSchedule[] }> {
  const types = listParam(query, 'reportTypes', reportTypes);
  const { index, writes } = caughtUp(env);
  const schedules = index.schedules.map((id) => scheduleAfter(env, writes, id)).filter((s): s is ReportSchedule => !!s && (!types || types.has(s.reportType)));
  return { status: 200, body: { reportSchedules: schedules }, writes };
}

/** Get Report Schedule By Id (200). */
export function getReportScheduleById(env: OperationEnv, id: string): OperationResult<ReportSchedule> {
  const { index, writes } = caughtUp(env);
  const schedule = index.schedules.includes(id) ? scheduleAfter(env, writes, id) : undefined;
  if (!schedule) throw apiError('ResourceNotFound', `The Report Schedule '${id}' was not found.`);
  return { status: 200, body: schedule, writes };
}

/** Cancel Report Schedule (200, empty object): no more reports from it; the ones it made stay. */
export function cancelReportSchedule(env: OperationEnv, id: string): OperationResult<Record<string, never>> {
  const { index, writes } = caughtUp(env);
  if (!index.schedules.includes(id) || !scheduleAfter(env, writes, id)) throw apiError('ResourceNotFound', `The Report Schedule '${id}' was not found.`);
  const next: ReportIndex = { ...index, schedules: index.schedules.filter((s) => s !== id) };
  return { status: 200, body: {}, writes: withIndex(writes, next, [{ collection: 'reportSchedules', id, value: null }]) };
}
