import {
  cancelReportSchedule,
  createReport,
  createReportSchedule,
  getReportById,
  getReportDocument,
  getReports,
  getReportScheduleById,
  getReportSchedules,
} from '../domain/report/reportOperations.js';
import { getDisbursements } from '../domain/report/disbursements.js';
import { documentUrlToken } from '../signing/documentUrl.js';
import type { OperationRoute } from './operationRoute.js';

/** The Reports operations ("Reports" reference page): reports, their documents and schedules; and disbursements. */
export const reportRoutes: OperationRoute[] = [
  { name: 'getReports', method: 'GET', path: '/reports', hasBody: false, run: (env, call) => getReports(env, call.query) },
  { name: 'getReportById', method: 'GET', path: '/reports/:reportId', hasBody: false, run: (env, call) => getReportById(env, call.params.reportId!) },
  { name: 'getReportDocument', method: 'GET', path: '/report-documents/:reportDocumentId', hasBody: false, run: (env, call) => getReportDocument(env, call.params.reportDocumentId!, documentUrlToken) },
  { name: 'getReportSchedules', method: 'GET', path: '/report-schedules', hasBody: false, run: (env, call) => getReportSchedules(env, call.query) },
  { name: 'getReportScheduleById', method: 'GET', path: '/report-schedules/:reportScheduleId', hasBody: false, run: (env, call) => getReportScheduleById(env, call.params.reportScheduleId!) },
  { name: 'createReport', method: 'POST', path: '/reports', hasBody: true, idempotency: 'required', run: (env, call) => createReport(env, call.body) },
  { name: 'createReportSchedule', method: 'POST', path: '/report-schedules', hasBody: true, idempotency: 'required', run: (env, call) => createReportSchedule(env, call.body) },
  { name: 'getDisbursements', method: 'GET', path: '/disbursements', hasBody: false, run: (env, call) => getDisbursements(env, call.query) },
  { name: 'cancelReportSchedule', method: 'DELETE', path: '/report-schedules/:reportScheduleId', hasBody: false, run: (env, call) => cancelReportSchedule(env, call.params.reportScheduleId!) },
];
